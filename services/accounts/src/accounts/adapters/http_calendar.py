"""Attendance's office API for the schools' calendars, closures and the kitchen counts, as the
gateway calls it for a member of staff. Attendance owns the shapes: they are passed on as JSON."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from accounts.adapters.http_services import ServiceCaller
from accounts.handlers.ports import JsonObject


class HttpCalendar:
    def __init__(self, client: ServiceCaller, base_url: str) -> None:
        self._client = client
        self._base = f"{base_url}/office"

    async def month(self, school_id: str, month: date) -> JsonObject:
        found = await self._client.call(
            "GET", f"{self._school(school_id)}/calendar", params={"month": f"{month:%Y-%m}"}
        )
        return dict(found.json())

    async def set_calendar(self, school_id: str, calendar: JsonObject) -> None:
        await self._client.call("PUT", f"{self._school(school_id)}/calendar", json=calendar)

    async def closure_preview(self, school_id: str, day: date, class_id: str) -> int:
        params = {"service_date": day.isoformat(), "class_id": class_id}
        return int((await self._get(f"{self._school(school_id)}/closures/preview", params))["meals"])

    async def remove_closure(self, school_id: str, day: date, class_id: str) -> JsonObject:
        url = f"{self._school(school_id)}/closures/{day}"
        return dict((await self._client.call("DELETE", url, params={"class_id": class_id})).json())

    async def declare_holidays(self, holidays: JsonObject) -> JsonObject:
        return dict((await self._client.call("POST", f"{self._base}/holidays", json=holidays)).json())

    async def holidays(self, first: date, last: date) -> list[JsonObject]:
        return list(await self._get(f"{self._base}/holidays", _period(first, last)))

    async def holidays_preview(self, first: date, last: date) -> int:
        return int((await self._get(f"{self._base}/holidays/preview", _period(first, last)))["meals"])

    async def remove_holiday(self, day: date) -> JsonObject:
        return dict((await self._client.call("DELETE", f"{self._base}/holidays/{day}")).json())

    async def kitchen(self, day: date) -> JsonObject:
        return dict(await self._get(f"{self._base}/days/{day}/kitchen", {}))

    async def kitchen_csv(self, day: date, school_id: str | None) -> bytes:
        url = f"{self._school(school_id)}/days/{day}/kitchen" if school_id else f"{self._base}/days/{day}/kitchen"
        return (await self._client.call("GET", url, params={"format": "csv"})).content

    async def _get(self, url: str, params: dict[str, str]) -> Any:
        return (await self._client.call("GET", url, params=params)).json()

    def _school(self, school_id: str) -> str:
        return f"{self._base}/schools/{quote(school_id, safe='')}"


def _period(first: date, last: date) -> dict[str, str]:
    return {"first": first.isoformat(), "last": last.isoformat()}
