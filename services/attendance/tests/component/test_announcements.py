"""A parent's absence announcement counts before the school's cut-off; after it, it is too late."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from shared.school_year import SchoolYear

Helper = Callable[..., Awaitable[Any]]  # fixtures of conftest.py
EVERY_DAY = {"service_weekdays": [1, 2, 3, 4, 5, 6, 7], "cutoff": "09:30:00", "timezone": "Europe/Rome"}


async def test_an_announcement_counts_before_the_cutoff_and_is_too_late_after(
    attendance: httpx.AsyncClient, make_school: Helper
) -> None:
    today = datetime.now(ZoneInfo("Europe/Rome")).date()
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    upcoming = await make_school({"1A": 2}, school_year=str(SchoolYear.of(tomorrow)), on=tomorrow, calendar=EVERY_DAY)
    past = await make_school({"1A": 1}, school_year=str(SchoolYear.of(yesterday)), on=yesterday, calendar=EVERY_DAY)
    away, other = upcoming.classes["1A"]

    announced = await attendance.post(f"/internal/students/{away}/absences/{tomorrow}")
    assert announced.status_code == 201, announced.text
    assert announced.json()["cutoff_at"].startswith(f"{tomorrow}T09:30:00+0")
    assert (await attendance.post(f"/internal/students/{away}/absences/{tomorrow}")).status_code == 201
    forecast = (await attendance.get(f"{upcoming.office_day(tomorrow)}/kitchen")).json()
    assert forecast["final"] is False and forecast["total"] == 1

    [late_one] = past.classes["1A"]
    late = await attendance.post(f"/internal/students/{late_one}/absences/{yesterday}")
    assert late.status_code == 409 and "troppo tardi" in late.json()["message"]

    early = await attendance.post(f"{upcoming.office_day(tomorrow)}/close")
    assert early.status_code == 422 and early.json()["code"] == "giornata_futura"
    assert (await attendance.post(f"/internal/students/{other}/absences/{tomorrow}")).status_code == 201


async def test_announcements_need_the_service_credential_and_a_known_student(attendance: httpx.AsyncClient) -> None:
    url = f"/internal/students/{uuid.uuid4()}/absences/{date(2026, 11, 25)}"
    assert (await attendance.post(url)).status_code == 404
    assert (await attendance.post(url, headers={"Authorization": "Bearer wrong"})).status_code == 401
    history = f"/internal/students/{uuid.uuid4()}/attendance"
    assert (
        await attendance.get(history, params={"month": "2026-11"}, headers={"Authorization": "x"})
    ).status_code == 401
    assert (await attendance.get(history, params={"month": "2026-13"})).status_code == 422


async def test_a_parent_withdraws_an_announcement_before_the_cutoff(
    attendance: httpx.AsyncClient, make_school: Helper
) -> None:
    tomorrow = datetime.now(ZoneInfo("Europe/Rome")).date() + timedelta(days=1)
    school = await make_school({"1A": 1}, school_year=str(SchoolYear.of(tomorrow)), on=tomorrow, calendar=EVERY_DAY)
    [child] = school.classes["1A"]
    assert (await attendance.post(f"/internal/students/{child}/absences/{tomorrow}")).status_code == 201
    withdrawn = await attendance.delete(f"/internal/students/{child}/absences/{tomorrow}")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn"] is True, withdrawn.text
    forecast = (await attendance.get(f"{school.office_day(tomorrow)}/kitchen")).json()
    assert forecast["total"] == 1  # eats again
    again = await attendance.delete(f"/internal/students/{child}/absences/{tomorrow}")
    assert again.status_code == 200 and again.json()["withdrawn"] is False
    month = (
        await attendance.get(f"/internal/students/{child}/attendance", params={"month": f"{tomorrow:%Y-%m}"})
    ).json()
    assert [d for d in month["days"] if d["service_date"] == str(tomorrow)] == []
