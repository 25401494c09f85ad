"""Kitchen counts (forecast, then final) and a roster that follows school years, withdrawals and transfers."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx

from shared.events import StudentEnrolled
from shared.school_year import SchoolYear
from testkit.data import tax_code
from testkit.kafka import eventually

from .conftest import DAY, YEAR

Helper = Callable[..., Awaitable[Any]]  # fixtures of conftest.py
NEXT_YEAR = SchoolYear.of(DAY).next().first_day + timedelta(days=80)  # a day of next school year


def lines(count: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(line["class_id"], line["diet"], line["meals"]) for line in count["lines"]]


async def test_the_kitchen_gets_a_forecast_before_the_close_and_the_final_count_after(
    attendance: httpx.AsyncClient, make_school: Helper
) -> None:
    school = await make_school({"1A": 3, "1B": 2}, diets={"1B": "senza_glutine"})
    absent = school.classes["1A"][0]
    put = await attendance.put(
        f"{school.day()}/classes/1A/absences", json={"absent_student_ids": [absent]}, headers=school.terminal
    )
    assert put.status_code == 204

    forecast = (await attendance.get(f"{school.day()}/kitchen", headers=school.terminal)).json()
    assert forecast["final"] is False and forecast["total"] == 4
    assert lines(forecast) == [("1A", "standard", 2), ("1B", "senza_glutine", 2)]
    csv = await attendance.get(f"{school.office_day()}/kitchen", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines() == [
        "scuola;data;classe;dieta;pasti;definitivo",
        f"{school.id};{DAY};1A;standard;2;no",
        f"{school.id};{DAY};1B;senza_glutine;2;no",
    ]

    assert (await attendance.post(f"{school.day()}/close", headers=school.terminal)).json()["meals"] == 4
    body = {"student_id": absent, "kind": "present", "reason": "Arrivato in ritardo"}
    assert (await attendance.post(f"{school.office_day()}/corrections", json=body)).status_code == 200
    final = (await attendance.get(f"{school.office_day()}/kitchen")).json()
    assert final["final"] is True and final["total"] == 5
    assert lines(final) == [("1A", "standard", 3), ("1B", "senza_glutine", 2)]
    csv = await attendance.get(f"{school.day()}/kitchen", headers=school.terminal | {"Accept": "text/csv"})
    assert csv.text.splitlines()[1] == f"{school.id};{DAY};1A;standard;3;sì"
    foreign = await attendance.get(f"/schools/other-{school.id}/days/{DAY}/kitchen", headers=school.terminal)
    assert foreign.status_code == 403


async def test_the_close_follows_the_school_year_withdrawals_and_transfers(
    attendance: httpx.AsyncClient, make_school: Helper, enrolment: Helper, meal_events: Helper
) -> None:
    school = await make_school({"1A": 3})
    withdrawn, moved, stays = school.classes["1A"]
    last_year = str(uuid.uuid4())

    def event(student: str, **changes: Any) -> StudentEnrolled:
        base = {
            "student_id": student,
            "account_id": school.accounts.get(student, school.accounts[moved]),
            "tax_code": tax_code(year=2018),
            "first_name": "A",
            "last_name": "B",
            "school_id": school.id,
            "class_id": "1A",
            "school_year": YEAR,
        }
        return StudentEnrolled.model_validate(base | changes)

    await enrolment(event(withdrawn, active=False))
    # Same account as the transfer: projected before it, in partition order.
    await enrolment(event(last_year, school_year=str(SchoolYear(SchoolYear.of(DAY).start - 1))))
    await enrolment(event(moved, class_id="1B"))
    await enrolment(event(stays, school_year=str(SchoolYear.of(DAY).next()), class_id="2A"))  # next year's, sent early

    async def projected() -> bool:
        forecast = (await attendance.get(f"{school.office_day()}/kitchen")).json()
        next_year = (await attendance.get(f"{school.office_day(NEXT_YEAR)}/kitchen")).json()
        current = lines(forecast) == [("1A", "standard", 1), ("1B", "standard", 1)]
        return current and lines(next_year) == [("2A", "standard", 1)]

    await eventually(projected)
    assert (await attendance.post(f"{school.day()}/close", headers=school.terminal)).json()["meals"] == 2
    consumed = await meal_events("meal-consumed", [withdrawn, moved, stays, last_year], expect=2)
    assert sorted((m["student_id"], m["class_id"]) for m in consumed) == sorted([(moved, "1B"), (stays, "1A")])


async def test_the_city_count_lists_every_school_of_the_day(attendance: httpx.AsyncClient, make_school: Helper) -> None:
    # A school year of its own, so that the count covers only this test's schools across runs.
    day = date(2032, 3, 10)
    first = await make_school({"1A": 2}, school_year="2031/2032", on=day)
    second = await make_school({"2B": 1}, diets={"2B": "vegetariana"}, school_year="2031/2032", on=day)

    city = (await attendance.get(f"/office/days/{day}/kitchen")).json()
    mine = {s["school_id"]: lines(s) for s in city["schools"] if s["school_id"] in {first.id, second.id}}
    assert mine == {first.id: [("1A", "standard", 2)], second.id: [("2B", "vegetariana", 1)]}
    assert city["total"] == sum(s["total"] for s in city["schools"])
    csv = (await attendance.get(f"/office/days/{day}/kitchen", params={"format": "csv"})).text.splitlines()
    assert f"{first.id};{day};1A;standard;2;no" in csv and f"{second.id};{day};2B;vegetariana;1;no" in csv
