"""Notifications' internal API, for the office: a family's delivery log, the reminders sent to
families in debt, the count and preview of a message before it is sent, what became of it."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from accounts.adapters.http_services import ServiceCaller, outbox_of
from accounts.domain.communications import Communication
from accounts.domain.dashboard import Backlog


class HttpNotifications:
    def __init__(self, client: ServiceCaller, base_url: str) -> None:
        self._client = client
        self._base = base_url

    async def deliveries(self, account_id: uuid.UUID) -> list[dict[str, Any]]:
        url = f"{self._base}/internal/accounts/{account_id}/deliveries"
        return list((await self._client.call("GET", url)).json())

    async def outbox(self) -> Backlog:
        return await outbox_of(self._client, self._base, "notifications")

    async def reminders(self, account_ids: Collection[uuid.UUID]) -> list[dict[str, Any]]:
        if not account_ids:
            return []
        params = {"account_id": [str(a) for a in account_ids]}
        return list((await self._client.call("GET", f"{self._base}/internal/reminders", params=params)).json())

    async def foresee(self, message: Communication) -> dict[str, Any]:
        body = message.audience.fields() | {
            "account_ids": [str(a) for a in message.audience.account_ids],
            "channels": list(message.channels),
            "subject": message.subject,
            "text": message.text,
        }
        answer: dict[str, Any] = (
            await self._client.call("POST", f"{self._base}/internal/audiences/count", json=body)
        ).json()
        return answer

    async def outcomes(self, request_id: uuid.UUID, rule: str) -> list[dict[str, Any]]:
        url = f"{self._base}/internal/requests/{request_id}/outcomes"
        return list((await self._client.call("GET", url, params={"rule": rule})).json())
