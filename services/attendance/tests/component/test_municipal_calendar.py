"""The municipal calendar (holidays of every school at once), the preview of what a closure would
cancel, and the removal of a closure declared by mistake (refused once the day is closed)."""

import random
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx

from shared.school_year import SchoolYear

from .conftest import DAY

Helper = Callable[..., Awaitable[Any]]  # fixtures of conftest.py
LATE = {"reason": "Registro cartaceo della mensa"}


async def free_days(database: asyncpg.Connection) -> date:
    """A past day, and the next, that nothing in the (shared, lasting) database mentions yet: the
    municipal calendar closes every school, those of the other tests too."""
    while True:
        day = date(2001, 1, 1) + timedelta(days=random.randrange(20 * 365))
        used = await database.fetchval(
            "SELECT (SELECT count(*) FROM closure WHERE service_date IN ($1, $2))"
            " + (SELECT count(*) FROM meal WHERE service_date IN ($1, $2))",
            day,
            day + timedelta(days=1),
        )
        if not used and SchoolYear.of(day) == SchoolYear.of(day + timedelta(days=1)):
            return day


async def test_a_municipal_holiday_closes_every_school_and_cancels_what_was_charged(
    attendance: httpx.AsyncClient, make_school: Helper, meal_events: Helper, database: asyncpg.Connection
) -> None:
    holiday = await free_days(database)
    after = holiday + timedelta(days=1)
    year = str(SchoolYear.of(holiday))
    charged = await make_school({"1A": 2}, school_year=year, on=holiday)
    other = await make_school({"2B": 1}, school_year=year, on=holiday)
    assert (await attendance.post(f"{charged.office_day(holiday)}/close", json=LATE)).json()["meals"] == 2

    period = {"first": str(holiday), "last": str(after)}
    preview = await attendance.get("/office/holidays/preview", params=period)
    assert preview.json() == {"meals": 2}
    declared = await attendance.post("/office/holidays", json=period | {"reason": "Festa del patrono"})
    again = await attendance.post("/office/holidays", json=period | {"reason": "Festa del patrono"})
    assert declared.json() == {"days": 2, "cancelled_meals": 2}
    assert again.json() == {"days": 0, "cancelled_meals": 0}
    cancelled = await meal_events("meal-cancelled", charged.classes["1A"], expect=2, on=holiday)
    assert {c["reason"] for c in cancelled} == {"holiday: Festa del patrono"}
    assert (await attendance.get("/office/holidays/preview", params=period)).json() == {"meals": 0}

    refused = await attendance.post(f"{other.office_day(holiday)}/close", json=LATE)
    assert refused.status_code == 422 and refused.json()["code"] == "giorno_senza_servizio"
    month = (await attendance.get(f"/office/schools/{other.id}/calendar", params={"month": f"{after:%Y-%m}"})).json()
    ours = [c for c in month["closures"] if c["service_date"] in period.values()]
    assert ours, month
    assert [(c["class_id"], c["kind"], c["municipal"]) for c in ours] == [("", "holiday", True)] * len(ours)
    listed = (await attendance.get("/office/holidays", params=period)).json()
    assert [(c["service_date"], c["reason"]) for c in listed] == [(d, "Festa del patrono") for d in period.values()]

    # Declared by mistake: the day a school closed keeps it; the next day, closed by nobody, loses it.
    kept = await attendance.delete(f"/office/holidays/{holiday}")
    assert kept.status_code == 409 and kept.json()["code"] == "chiusura_non_rimovibile"
    assert (await attendance.delete(f"/office/holidays/{after}")).status_code == 200
    assert (await attendance.delete(f"/office/holidays/{after}")).status_code == 404
    assert (await attendance.post(f"{other.office_day(after)}/close", json=LATE)).json()["meals"] == 1


async def test_a_closure_declared_by_mistake_is_removed_until_the_day_is_closed(
    attendance: httpx.AsyncClient, make_school: Helper, meal_events: Helper
) -> None:
    school = await make_school({"1A": 2, "1B": 1})
    closures, preview = f"/office/schools/{school.id}/closures", f"/office/schools/{school.id}/closures/preview"
    trip = {"service_date": str(DAY), "class_id": "1A", "kind": "trip", "reason": "Gita al museo"}
    assert (await attendance.post(closures, json=trip)).json()["cancelled_meals"] == 0
    removed = await attendance.delete(f"{closures}/{DAY}", params={"class_id": "1A"})
    assert removed.status_code == 200 and removed.json()["kind"] == "trip"
    assert (await attendance.delete(f"{closures}/{DAY}", params={"class_id": "1A"})).status_code == 404
    assert (await attendance.post(f"{school.day()}/close", headers=school.terminal)).json()["meals"] == 3

    assert (await attendance.get(preview, params={"service_date": str(DAY), "class_id": "1A"})).json() == {"meals": 2}
    assert (await attendance.get(preview, params={"service_date": str(DAY)})).json() == {"meals": 3}
    strike = {"service_date": str(DAY), "kind": "strike", "reason": "Sciopero del personale"}
    assert (await attendance.post(closures, json=strike)).json()["cancelled_meals"] == 3
    await meal_events("meal-cancelled", school.classes["1A"] + school.classes["1B"], expect=3)
    refused = await attendance.delete(f"{closures}/{DAY}")
    assert refused.status_code == 409 and refused.json()["code"] == "chiusura_non_rimovibile"
    assert "non si possono riaddebitare" in refused.json()["message"]
    month = (await attendance.get(f"/office/schools/{school.id}/calendar", params={"month": f"{DAY:%Y-%m}"})).json()
    assert [c["kind"] for c in month["closures"] if c["service_date"] == str(DAY) and not c["municipal"]] == ["strike"]
    kitchen = (await attendance.get(f"{school.office_day()}/kitchen")).json()
    assert kitchen["final"] is True and kitchen["total"] == 0


async def test_the_municipal_calendar_is_not_a_school_and_a_period_has_bounds(attendance: httpx.AsyncClient) -> None:
    star = await attendance.post("/office/schools/*/closures", json={"service_date": str(DAY), "reason": "Per sbaglio"})
    assert star.status_code == 422
    backwards = {"first": str(DAY), "last": str(DAY - timedelta(days=1)), "reason": "Al contrario"}
    refused = await attendance.post("/office/holidays", json=backwards)
    assert refused.status_code == 422 and refused.json()["code"] == "periodo_troppo_lungo"
