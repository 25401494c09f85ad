"""Attendance's internal and office APIs, as the gateway uses them for families and the office."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import date, time
from typing import Any
from urllib.parse import quote

from accounts.adapters.http_services import ServiceCaller
from accounts.domain.desk import Closure, SchoolCalendar
from accounts.domain.school_days import Attended, SchoolMonth
from shared.http import HttpError

UNAVAILABLE = 503  # what the service client makes of no answer, or a 5xx


class HttpAttendance:
    def __init__(self, client: ServiceCaller, base_url: str) -> None:
        self._client = client
        self._students = f"{base_url}/internal/students"
        self._schools = f"{base_url}/office/schools"
        self._terminals = f"{base_url}/office/terminals"

    async def month_of(self, student_id: uuid.UUID, month: str) -> dict[str, Any]:
        response = await self._client.call("GET", f"{self._students}/{student_id}/attendance", params={"month": month})
        return dict(response.json())

    async def announce_absence(self, student_id: uuid.UUID, day: date) -> dict[str, Any]:
        return dict((await self._client.call("POST", f"{self._students}/{student_id}/absences/{day}")).json())

    async def withdraw_absence(self, student_id: uuid.UUID, day: date) -> dict[str, Any]:
        return dict((await self._client.call("DELETE", f"{self._students}/{student_id}/absences/{day}")).json())

    async def attended(self, student_id: uuid.UUID, month: date) -> list[Attended]:
        found = await self.month_of(student_id, f"{month:%Y-%m}")
        return [
            Attended(date.fromisoformat(d["service_date"]), d["status"], bool(d.get("announced_by_parent")))
            for d in found["days"]
        ]

    async def school_month(self, school_id: str, month: date) -> SchoolMonth:
        found = await self._calendar_of(school_id, month)
        return SchoolMonth(
            frozenset(found["service_weekdays"]),
            time.fromisoformat(found["cutoff"]),
            found["timezone"],
            _closures(found),
        )

    async def school_calendar(self, school_id: str, months: Sequence[date]) -> SchoolCalendar | None:
        try:
            found = await asyncio.gather(*(self._calendar_of(school_id, month) for month in months))
        except HttpError as error:
            if error.status == UNAVAILABLE:
                return None
            raise
        weekdays = frozenset(found[-1]["service_weekdays"]) if found else frozenset()
        return SchoolCalendar(weekdays, tuple(c for month in found for c in _closures(month)))

    async def declare_closure(self, school_id: str, closure: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._schools}/{quote(school_id, safe='')}/closures"
        return dict((await self._client.call("POST", url, json=closure)).json())

    async def _calendar_of(self, school_id: str, month: date) -> dict[str, Any]:
        url = f"{self._schools}/{quote(school_id, safe='')}/calendar"
        return dict((await self._client.call("GET", url, params={"month": f"{month:%Y-%m}"})).json())


def _closures(month: dict[str, Any]) -> tuple[Closure, ...]:
    return tuple(
        Closure(date.fromisoformat(c["service_date"]), c["class_id"], c["kind"], c["reason"]) for c in month["closures"]
    )
