"""Attendance's office API for the school terminals, as the gateway calls it (service credential)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from accounts.adapters.http_services import ServiceClient
from accounts.domain.terminals import PairingCode, SchoolTerminal, TerminalsOverview


class HttpTerminals:
    def __init__(self, client: ServiceClient, base_url: str) -> None:
        self._client = client
        self._url = f"{base_url}/office/terminals"

    async def overview(self) -> TerminalsOverview:
        found = (await self._client.call("GET", self._url)).json()
        return TerminalsOverview([_terminal(t) for t in found["terminals"]], list(found["schools"]))

    async def register(self, school_id: str, label: str) -> PairingCode:
        response = await self._client.call("POST", self._url, json={"school_id": school_id, "label": label})
        return _pairing(response.json())

    async def rotate(self, terminal_id: uuid.UUID) -> PairingCode:
        return _pairing((await self._client.call("POST", f"{self._url}/{terminal_id}/rotate")).json())

    async def revoke(self, terminal_id: uuid.UUID) -> None:
        await self._client.call("POST", f"{self._url}/{terminal_id}/revoke")


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _terminal(found: dict[str, Any]) -> SchoolTerminal:
    return SchoolTerminal(
        uuid.UUID(found["terminal_id"]),
        found["school_id"],
        found["label"],
        datetime.fromisoformat(found["created_at"]),
        _moment(found["paired_at"]),
        _moment(found["revoked_at"]),
        _moment(found["pairing_expires_at"]),
    )


def _pairing(issued: dict[str, Any]) -> PairingCode:
    return PairingCode(
        uuid.UUID(issued["terminal_id"]),
        issued["school_id"],
        issued["label"],
        issued["pairing_code"],
        datetime.fromisoformat(issued["pairing_expires_at"]),
        issued["pairing_url"],
        issued["token"],
    )
