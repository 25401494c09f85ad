"""Inputs a fuzzer found answering 500 (issue 13), now refused with a 4xx, a code and a message."""

import uuid

import httpx

from testkit.answers import refused
from testkit.data import tax_code

INVALID = "richiesta_non_valida"


async def test_a_reconciliation_day_outside_plausible_school_years_is_refused(payments: httpx.AsyncClient) -> None:
    for day in ("0001-01-01", "1999-12-31", "2101-01-01"):
        refused(await payments.get(f"/internal/reconciliation/{day}"), 422, INVALID)


async def test_a_notice_above_pagopa_maximum_is_refused(payments: httpx.AsyncClient) -> None:
    notice = {"account_id": str(uuid.uuid4()), "debtor_tax_code": tax_code(), "debtor_name": "Anna Verdi"}
    refused(await payments.post("/internal/notices", json=notice | {"amount_cents": 99_999_999_999 + 1}))
    refused(await payments.post("/internal/notices", json=notice | {"amount_cents": 2**63}))
    top = await payments.post("/internal/notices", json=notice | {"amount_cents": 99_999_999_999})
    assert top.status_code == 201, top.text
    assert top.json()["amount_display"] == "€ 999.999.999,99"
