"""Notifications' internal API: a family's delivery log, for the office."""

from __future__ import annotations

import uuid
from typing import Any

from accounts.adapters.http_services import ServiceCaller, outbox_of
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
