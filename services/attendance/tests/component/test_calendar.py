"""The service calendar: days without service charge nobody; a closure cancels the day."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx

from attendance.domain.meals import meal_id

from .conftest import DAY

Helper = Callable[..., Awaitable[Any]]  # fixtures of conftest.py

TOMORROW = DAY + timedelta(days=1)
# Every weekday but today's: today is a day off for the school.
SERVED = sorted({1, 2, 3, 4, 5, 6, 7} - {DAY.isoweekday()})


async def test_a_day_without_service_is_refused_and_charges_nobody(
    attendance: httpx.AsyncClient, make_school: Helper
) -> None:
    school = await make_school({"1A": 2}, calendar={"service_weekdays": SERVED}, on=TOMORROW)
    students = school.classes["1A"]
    holiday = TOMORROW
    closure = {"service_date": str(holiday), "kind": "holiday", "reason": "Festa patronale"}
    assert (await attendance.post(f"/office/schools/{school.id}/closures", json=closure)).status_code == 200
    bad = await attendance.put(f"/office/schools/{school.id}/calendar", json={"timezone": "Europe/Atlantide"})
    assert bad.status_code == 422
    bad = await attendance.put(f"/office/schools/{school.id}/calendar", json={"service_weekdays": [0, 8]})
    assert bad.status_code == 422
    month = f"{holiday:%Y-%m}"
    calendar = (await attendance.get(f"/office/schools/{school.id}/calendar", params={"month": month})).json()
    assert calendar["service_weekdays"] == SERVED and calendar["cutoff"] == "09:30:00"
    assert [(c["service_date"], c["class_id"], c["kind"]) for c in calendar["closures"]] == [
        (str(holiday), "", "holiday")
    ]

    # Today, a weekday off: refused to the school's terminal (its only day) as to the office.
    # The holiday, tomorrow: refused to the office; the terminal acts on today only.
    for day, url, headers in (
        (DAY, school.day(DAY), school.terminal),
        (DAY, school.office_day(DAY), {}),
        (holiday, school.office_day(holiday), {}),
    ):
        put = await attendance.put(
            f"{url}/classes/1A/absences", json={"absent_student_ids": students[:1]}, headers=headers
        )
        assert put.status_code == 422 and put.json()["code"] == "giorno_senza_servizio", (day, put.text)
        close = await attendance.post(f"{url}/close", headers=headers, json={"reason": "Chiusura tardiva"})
        assert close.status_code == 422 and close.json()["code"] == "giorno_senza_servizio", (day, close.text)
        kitchen = (await attendance.get(f"{school.office_day(day)}/kitchen")).json()
        assert kitchen == {"school_id": school.id, "service_date": str(day), "final": False, "total": 0, "lines": []}
    not_today = await attendance.post(f"{school.day(holiday)}/close", headers=school.terminal)
    assert not_today.status_code == 403 and not_today.json()["code"] == "solo_oggi"


async def test_a_class_closed_before_the_close_eats_nothing(
    attendance: httpx.AsyncClient,
    make_school: Helper,
    meal_events: Helper,
) -> None:
    school = await make_school({"1A": 2, "1B": 2})
    trip = {"class_id": "1B", "kind": "trip", "reason": "Gita al museo"}
    declared = await attendance.post(f"{school.day()}/closures", json=trip, headers=school.terminal)
    assert declared.json() == {"already_declared": False, "cancelled_meals": 0}
    refused = await attendance.put(
        f"{school.day()}/classes/1B/absences", json={"absent_student_ids": []}, headers=school.terminal
    )
    assert refused.status_code == 422

    close = await attendance.post(f"{school.day()}/close", headers=school.terminal)
    assert close.json()["meals"] == 2

    everyone = school.classes["1A"] + school.classes["1B"]
    consumed = await meal_events("meal-consumed", everyone, expect=2)
    assert sorted(m["student_id"] for m in consumed) == sorted(school.classes["1A"])


async def test_a_closure_after_the_close_cancels_every_meal_charged_once(
    attendance: httpx.AsyncClient,
    make_school: Helper,
    meal_events: Helper,
) -> None:
    school = await make_school({"1A": 2, "1B": 1})
    absent = school.classes["1A"][:1]
    put = await attendance.put(
        f"{school.day()}/classes/1A/absences", json={"absent_student_ids": absent}, headers=school.terminal
    )
    assert put.status_code == 204
    assert (await attendance.post(f"{school.day()}/close", headers=school.terminal)).json()["meals"] == 2

    strike = {"service_date": str(DAY), "kind": "strike", "reason": "Sciopero del personale"}
    first = await attendance.post(f"/office/schools/{school.id}/closures", json=strike)
    again = await attendance.post(f"/office/schools/{school.id}/closures", json=strike)
    assert first.json() == {"already_declared": False, "cancelled_meals": 2}
    assert again.json() == {"already_declared": True, "cancelled_meals": 0}

    charged = school.classes["1A"][1:] + school.classes["1B"]
    cancelled = await meal_events("meal-cancelled", absent + charged, expect=2)
    assert sorted(c["meal_id"] for c in cancelled) == sorted(str(meal_id(uuid.UUID(s), DAY)) for s in charged)
    assert all(c["reason"] == "strike: Sciopero del personale" for c in cancelled)
    assert {c["account_id"] for c in cancelled} == {school.accounts[s] for s in charged}
    kitchen = (await attendance.get(f"{school.office_day()}/kitchen")).json()
    assert kitchen["final"] is True and kitchen["total"] == 0
    again_close = await attendance.post(f"{school.day()}/close", headers=school.terminal)
    assert again_close.json()["already_closed"] is True


async def test_a_school_id_longer_than_the_schools_column_is_refused(attendance: httpx.AsyncClient) -> None:
    long = "x" * 65
    calendar = await attendance.put(f"/office/schools/{long}/calendar", json={})
    close = await attendance.post(f"/office/schools/{long}/days/{DAY}/close")
    assert (calendar.status_code, close.status_code) == (422, 422)
    assert calendar.json()["code"] == "richiesta_non_valida"
