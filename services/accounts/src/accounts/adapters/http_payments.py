"""Payments' internal API: pagoPA notices for the accounts' holders, their PDF and Checkout."""

from __future__ import annotations

import uuid
from typing import Any

from accounts.adapters.http_services import ServiceClient
from accounts.domain.family import Holder

_DEBTOR_NAME = 70  # characters, pagoPA's limit


class HttpPayments:
    def __init__(self, client: ServiceClient, base_url: str, checkout_return_url: str) -> None:
        self._client = client
        self._notices = f"{base_url}/internal/notices"
        self._return_url = checkout_return_url

    async def create_notice(self, account_id: uuid.UUID, amount_cents: int, debtor: Holder) -> dict[str, Any]:
        notice = {
            "account_id": str(account_id),
            "amount_cents": amount_cents,
            "debtor_tax_code": debtor.tax_code,
            "debtor_name": f"{debtor.first_name} {debtor.last_name}"[:_DEBTOR_NAME],
        }
        return dict((await self._client.call("POST", self._notices, json=notice)).json())

    async def checkout_url(self, notice_number: str) -> str:
        url = f"{self._notices}/{notice_number}/checkout"
        response = await self._client.call("POST", url, json={"return_url": self._return_url})
        return str(response.json()["checkout_url"])

    async def notice_account(self, notice_number: str) -> uuid.UUID | None:
        account_id = (await self._client.call("GET", f"{self._notices}/{notice_number}")).json().get("account_id")
        return uuid.UUID(account_id) if account_id else None

    async def notice_pdf(self, notice_number: str) -> bytes:
        return (await self._client.call("GET", f"{self._notices}/{notice_number}/pdf")).content
