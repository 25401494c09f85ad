"""Attendance's internal API, as the gateway uses it for families."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from accounts.adapters.http_services import ServiceClient


class HttpAttendance:
    def __init__(self, client: ServiceClient, base_url: str) -> None:
        self._client = client
        self._base = f"{base_url}/internal/students"

    async def month_of(self, student_id: uuid.UUID, month: str) -> dict[str, Any]:
        response = await self._client.call("GET", f"{self._base}/{student_id}/attendance", params={"month": month})
        return dict(response.json())

    async def announce_absence(self, student_id: uuid.UUID, day: date) -> dict[str, Any]:
        return dict((await self._client.call("POST", f"{self._base}/{student_id}/absences/{day}")).json())
