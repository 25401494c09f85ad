"""Top-ups the way families make them: a notice from payments, paid through the pagoPA node
(played by `tests/pagopa_node_simulator.py` over real SOAP HTTP)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import httpx

from testkit.kafka import read_all

from ..pagopa_node_simulator import TABACCHERIA, NodeSimulator, ReceiptData, cents
from .books import Books
from .load import Family
from .system import NODE_SECRET, SERVICE_TOKEN

SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


async def create_notice(http: httpx.AsyncClient, payments_url: str, family: Family, cents: int) -> str:
    """A payment notice of `cents` for the family; returns its notice number."""
    body = {
        "account_id": str(family.account_id),
        "amount_cents": cents,
        "debtor_tax_code": family.holder_tax_code,
        "debtor_name": "Genitore Pagatore",
    }
    response = await http.post(f"{payments_url}/internal/notices", headers=SERVICE, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["notice_number"])


async def activate(http: httpx.AsyncClient, payments_url: str, notice: str) -> ReceiptData:
    """The node verifies and activates the notice at a counter; returns the receipt it will send."""
    node = NodeSimulator(payments_url, NODE_SECRET, http=http)
    verified = await node.verify(notice)
    assert verified.outcome == "OK", verified.raw
    activated = await node.activate(notice, cents(verified.find("paymentList/paymentOptionDescription/amount")))
    assert activated.outcome == "OK", activated.raw
    return ReceiptData.from_activation(notice, activated, TABACCHERIA)


async def pay(http: httpx.AsyncClient, payments_url: str, notice: str) -> None:
    """A counter payment, start to end: verify, activate, receipt; the station answers OK."""
    answer, _ = await NodeSimulator(payments_url, NODE_SECRET, http=http).pay_at_counter(notice)
    assert answer.outcome == "OK", answer.raw


async def expect_credits(bootstrap: str, prefix: str, books: Books, notices: Sequence[str]) -> None:
    """Every notice paid gave exactly one `payment-received`; the ledger must credit each once."""
    wanted = set(notices)
    records = await read_all(
        bootstrap,
        f"{prefix}payment-received",
        expect=len(wanted),
        settle=2.0,
        keep=lambda r: json.loads(r.value)["data"]["notice_number"] in wanted,
    )
    payments = {json.loads(r.value)["data"]["payment_id"]: json.loads(r.value)["data"] for r in records}
    assert sorted(p["notice_number"] for p in payments.values()) == sorted(wanted), "one payment per notice"
    for payment in payments.values():
        books.top_up(payment["payment_id"], payment["account_id"], payment["amount_cents"])
