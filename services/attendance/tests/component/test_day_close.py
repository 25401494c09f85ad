"""Roster from Kafka, absences from a terminal, and a day close that charges exactly once."""

import asyncio
import json
import uuid
from typing import Any

import httpx

from shared.events import Envelope, StudentEnrolled
from testkit.data import tax_code
from testkit.kafka import eventually, publish, read_all

from .conftest import DAY, EVERY_DAY, YEAR


async def enrol(kafka: str, prefix: str, school: str, klass: str, n: int) -> list[str]:
    account = uuid.uuid4()
    students = [uuid.uuid4() for _ in range(n)]
    for student in students:
        event = Envelope.wrap(
            StudentEnrolled(
                student_id=student,
                account_id=account,
                tax_code=tax_code(year=2018),
                first_name="A",
                last_name="B",
                school_id=school,
                class_id=klass,
                school_year=YEAR,
            ),
            producer="accounts",
        )
        await publish(kafka, f"{prefix}student-enrolled", event.to_json(), key=str(account))
    return [str(s) for s in students]


async def terminal_for(attendance: httpx.AsyncClient, school: str) -> dict[str, str]:
    """A terminal of a school that serves every weekday (its terminal acts on today only)."""
    assert (await attendance.put(f"/office/schools/{school}/calendar", json=EVERY_DAY)).status_code == 204
    response = await attendance.post("/office/terminals", json={"school_id": school})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def roster_ready(
    attendance: httpx.AsyncClient, school: str, klass: str, students: list[str], terminal: dict[str, str]
) -> None:
    """Until the roster has them, naming them absent is refused as unknown students."""

    async def known() -> bool:
        response = await attendance.put(
            f"/schools/{school}/days/{DAY}/classes/{klass}/absences",
            json={"absent_student_ids": students},
            headers=terminal,
        )
        return response.status_code == 204

    await eventually(known)


async def meals_of(kafka: str, prefix: str, school: str, expect: int) -> list[dict[str, object]]:
    """This school's meals: `expect` counts only them, not the session's other tests' meals."""

    def of_school(record: Any) -> bool:
        return bool(json.loads(record.value)["data"]["school_id"] == school)

    records = await read_all(kafka, f"{prefix}meal-consumed", expect=expect, settle=1.0, keep=of_school)
    return [json.loads(r.value)["data"] for r in records]


async def test_a_day_with_absences_charges_exactly_the_present(
    attendance: httpx.AsyncClient, kafka: str, topic_prefix: str, unique: str
) -> None:
    school = f"school-{unique}"
    students = await enrol(kafka, topic_prefix, school, "1A", 5) + await enrol(kafka, topic_prefix, school, "1B", 3)
    terminal = await terminal_for(attendance, school)
    await roster_ready(attendance, school, "1A", students[:5], terminal)
    await roster_ready(attendance, school, "1B", students[5:], terminal)
    # Last post wins: the second post marks present the child marked absent by mistake.
    url = f"/schools/{school}/days/{DAY}/classes/1A/absences"
    assert (await attendance.put(url, json={"absent_student_ids": students[:2]}, headers=terminal)).status_code == 204
    assert (await attendance.put(url, json={"absent_student_ids": students[:1]}, headers=terminal)).status_code == 204
    url_b = f"/schools/{school}/days/{DAY}/classes/1B/absences"
    assert (await attendance.put(url_b, json={"absent_student_ids": []}, headers=terminal)).status_code == 204

    closes = await asyncio.gather(
        *(attendance.post(f"/schools/{school}/days/{DAY}/close", headers=terminal) for _ in range(3))
    )
    assert sorted(c.json()["already_closed"] for c in closes) == [False, True, True]
    assert {c.json()["meals"] for c in closes} == {7}

    meals = await meals_of(kafka, topic_prefix, school, expect=7)
    assert sorted(m["student_id"] for m in meals) == sorted(students[1:])
    assert len({m["meal_id"] for m in meals}) == 7

    late = await attendance.put(url, json={"absent_student_ids": []}, headers=terminal)
    assert late.status_code == 409 and late.json()["code"] == "giornata_chiusa"


async def test_terminals_are_scoped_to_their_school(attendance: httpx.AsyncClient, unique: str) -> None:
    mine = await terminal_for(attendance, f"school-{unique}")
    other = f"/schools/other-{unique}/days/{DAY}/close"
    assert (await attendance.post(other, headers=mine)).status_code == 403
    assert (await attendance.post(other, headers={"Authorization": "Bearer nonsense"})).status_code == 401
    forged = {"Authorization": mine["Authorization"][:-3] + "xyz"}
    assert (await attendance.post(f"/schools/school-{unique}/days/{DAY}/close", headers=forged)).status_code == 401
    assert (
        await attendance.post("/office/terminals", json={"school_id": "x"}, headers={"Authorization": "Bearer wrong"})
    ).status_code == 401


async def test_unknown_students_are_refused_and_nothing_is_written(attendance: httpx.AsyncClient, unique: str) -> None:
    school = f"school-{unique}"
    terminal = await terminal_for(attendance, school)
    response = await attendance.put(
        f"/schools/{school}/days/{DAY}/classes/1A/absences",
        json={"absent_student_ids": [str(uuid.uuid4())]},
        headers=terminal,
    )
    assert response.status_code == 422 and response.json()["code"] == "alunni_sconosciuti"
    response = await attendance.put(
        f"/schools/{school}/days/{DAY}/classes/1A/absences", json={"absent_student_ids": []}, headers=terminal
    )
    assert response.status_code == 422 and response.json()["code"] == "classe_sconosciuta"
    response = await attendance.put(
        f"/schools/{school}/days/not-a-date/classes/1A/absences", json={"absent_student_ids": []}, headers=terminal
    )
    assert response.status_code == 422
