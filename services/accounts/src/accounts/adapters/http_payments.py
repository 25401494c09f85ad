"""Payments' internal API: pagoPA notices for the accounts' holders, their PDF and Checkout."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from accounts.adapters.http_services import ServiceCaller, outbox_of
from accounts.domain.dashboard import Backlog, TopUpDay
from accounts.domain.family import Holder
from accounts.domain.notices import FamilyNotice, NoticeState

_DEBTOR_NAME = 70  # characters, pagoPA's limit


class HttpPayments:
    def __init__(self, client: ServiceCaller, base_url: str, checkout_return_url: str) -> None:
        self._client = client
        self._notices = f"{base_url}/internal/notices"
        self._return_url = checkout_return_url
        self._base = base_url
        self._anomalies = f"{base_url}/office/anomalies"

    async def create_notice(self, account_id: uuid.UUID, amount_cents: int, debtor: Holder) -> dict[str, Any]:
        notice = {
            "account_id": str(account_id),
            "amount_cents": amount_cents,
            "debtor_tax_code": debtor.tax_code,
            "debtor_name": f"{debtor.first_name} {debtor.last_name}"[:_DEBTOR_NAME],
        }
        return dict((await self._client.call("POST", self._notices, json=notice)).json())

    async def checkout_url(self, notice_number: str) -> str:
        """Checkout sends the parent back to the outcome page of this notice."""
        url = f"{self._notices}/{notice_number}/checkout"
        response = await self._client.call("POST", url, json={"return_url": f"{self._return_url}/{notice_number}"})
        return str(response.json()["checkout_url"])

    async def notice_account(self, notice_number: str) -> uuid.UUID | None:
        account_id = (await self._client.call("GET", f"{self._notices}/{notice_number}")).json().get("account_id")
        return uuid.UUID(account_id) if account_id else None

    async def notice_pdf(self, notice_number: str) -> bytes:
        return (await self._client.call("GET", f"{self._notices}/{notice_number}/pdf")).content

    async def notice(self, notice_number: str) -> FamilyNotice:
        return _notice((await self._client.call("GET", f"{self._notices}/{notice_number}")).json())

    async def notices_of(self, account_id: uuid.UUID) -> list[FamilyNotice]:
        found = (await self._client.call("GET", self._notices, params={"account_id": str(account_id)})).json()
        return [_notice(n | {"account_id": str(account_id)}) for n in found]

    async def cancel_notice(self, notice_number: str) -> FamilyNotice:
        return _notice((await self._client.call("POST", f"{self._notices}/{notice_number}/cancel")).json())

    async def anomalies(self, unresolved_only: bool) -> list[dict[str, Any]]:
        params = {"unresolved": "true" if unresolved_only else "false"}
        return list((await self._client.call("GET", self._anomalies, params=params)).json())

    async def resolve_anomaly(self, receipt_id: str, outcome: str, reason: str) -> dict[str, Any]:
        url = f"{self._anomalies}/{quote(receipt_id, safe='')}/resolve"
        return dict((await self._client.call("POST", url, json={"outcome": outcome, "reason": reason})).json())

    async def outbox(self) -> Backlog:
        return await outbox_of(self._client, self._base, "payments")

    async def top_ups(self, first: date, last: date) -> list[TopUpDay]:
        params = {"first": str(first), "last": str(last)}
        return [
            TopUpDay.of(d)
            for d in (await self._client.call("GET", f"{self._base}/office/top-ups", params=params)).json()
        ]


def _notice(found: dict[str, Any]) -> FamilyNotice:
    return FamilyNotice(
        account_id=uuid.UUID(found["account_id"]),
        notice_number=found["notice_number"],
        printed_number=found["printed_notice_number"],
        amount_cents=int(found["amount_cents"]),
        due_date=date.fromisoformat(found["due_date"]),
        state=NoticeState(found["state"]),
        activated=bool(found["activated"]),
        created_at=datetime.fromisoformat(found["created_at"]) if found.get("created_at") else None,
    )
