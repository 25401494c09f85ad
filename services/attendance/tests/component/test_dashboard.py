"""The office's dashboard of a day (`GET /office/dashboard/{day}`): per school the classes
recorded or not, the close and its time, meals, absences, the days gone by nobody closed, and
the meals served per day of the month; staff only."""

from datetime import timedelta
from typing import Any

import httpx

from shared.school_year import SchoolYear

from .conftest import DAY, MakeSchool


def _school(board: dict[str, Any], school_id: str) -> dict[str, Any]:
    return next(s for s in board["schools"] if s["school_id"] == school_id)


async def test_one_school_closed_and_one_not(attendance: httpx.AsyncClient, make_school: MakeSchool) -> None:
    closed, still_open = await make_school({"1A": 3, "1B": 2}), await make_school({"2A": 2})
    gone = DAY - timedelta(days=3)
    # The office closes a day gone by: from then on the service runs, so the two days after it,
    # never closed, are counted.
    assert (
        await attendance.post(f"{closed.office_day(gone)}/close", json={"reason": "Chiusa dall'ufficio"})
    ).is_success
    absent = {"absent_student_ids": closed.classes["1A"][:1]}
    assert (
        await attendance.put(f"{closed.day()}/classes/1A/absences", json=absent, headers=closed.terminal)
    ).is_success
    assert (await attendance.post(f"{closed.day()}/close", headers=closed.terminal)).is_success

    board = (await attendance.get(f"/office/dashboard/{DAY}")).json()
    done, waiting = _school(board, closed.id), _school(board, still_open.id)
    assert done["closed_at"] and (done["meals"], done["absences"]) == (4, 1)
    states = {c["class_id"]: c["state"] for c in done["classes"]}
    assert states == {"1A": "rilevata", "1B": "da_rilevare"}
    if SchoolYear.of(gone) == SchoolYear.of(DAY):  # days of another school year are not counted
        assert done["never_closed"] == 2
        assert done["never_closed_days"] == [str(DAY - timedelta(days=1)), str(DAY - timedelta(days=2))]
    assert (waiting["closed_at"], waiting["meals"], waiting["absences"], waiting["never_closed"]) == (None, 2, 0, 0)
    served = {(m["school_id"], m["service_date"]): m["meals"] for m in board["meals_served"]}
    assert served[(closed.id, str(DAY))] == 4 and (still_open.id, str(DAY)) not in served


async def test_the_dashboard_is_the_office_s(attendance: httpx.AsyncClient) -> None:
    nobody = await attendance.get(f"/office/dashboard/{DAY}", headers={"Refettorio-Person": ""})
    assert nobody.status_code == 401
    backlog = (await attendance.get("/internal/outbox")).json()
    assert set(backlog) == {"pending", "stuck", "oldest_seconds"}
