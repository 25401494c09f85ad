"""The schools' service calendars, as attendance knows them (internal HTTP, service credential)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from accounts.adapters.services_http import call
from accounts.config import AccountsSettings
from accounts.domain.desk import Closure, SchoolCalendar


class AttendanceCalendars:
    def __init__(self, settings: AccountsSettings) -> None:
        self._base = settings.attendance_url
        self._token = settings.service_token

    async def __call__(self, schools: Iterable[str], months: Iterable[date]) -> dict[str, SchoolCalendar]:
        months = list(months)
        return {school: await self._calendar(school, months) for school in set(schools)}

    async def _calendar(self, school_id: str, months: list[date]) -> SchoolCalendar:
        weekdays: set[int] = set()
        closures: list[Closure] = []
        for month in months:
            url = f"{self._base}/office/schools/{school_id}/calendar"
            found = (await call("GET", url, self._token, params={"month": f"{month:%Y-%m}"})).json()
            weekdays = set(found["service_weekdays"])
            closures += [
                Closure(date.fromisoformat(c["service_date"]), c["class_id"], c["kind"], c["reason"])
                for c in found["closures"]
            ]
        return SchoolCalendar(frozenset(weekdays), tuple(closures))
