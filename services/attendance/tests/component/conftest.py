"""A school with classes enrolled through Kafka and a terminal, ready for a day's attendance."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from attendance.domain.meals import meal_id
from shared.events import Envelope, StudentEnrolled
from shared.school_year import SchoolYear
from testkit.data import tax_code
from testkit.databases import plain_dsn
from testkit.infra import Infra
from testkit.kafka import eventually, publish, read_all

# Today in the schools' time zone: a school's terminal acts on its school's today only (days gone
# by are the office's). A school made here serves every weekday unless told otherwise.
DAY = datetime.now(ZoneInfo("Europe/Rome")).date()
YEAR = str(SchoolYear.of(DAY))
EVERY_DAY = {"service_weekdays": [1, 2, 3, 4, 5, 6, 7], "cutoff": "09:30:00", "timezone": "Europe/Rome"}


@dataclass
class School:
    id: str
    terminal: dict[str, str]
    classes: dict[str, list[str]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)

    def day(self, on: date = DAY) -> str:
        return f"/schools/{self.id}/days/{on}"

    def office_day(self, on: date = DAY) -> str:
        return f"/office/schools/{self.id}/days/{on}"


MakeSchool = Callable[..., Awaitable[School]]
NAMES = [
    ("Giulia", "Rossi"),
    ("Marco", "Bianchi"),
    ("Sara", "Verdi"),
    ("Luca", "Neri"),
    ("Anna", "Gallo"),
    ("Pietro", "Costa"),
]


@pytest.fixture
def make_school(attendance: httpx.AsyncClient, kafka: str, topic_prefix: str, unique: str) -> MakeSchool:
    """`await make_school({"1A": 3, "1B": 2}, diets={"1B": "senza_glutine"})`: enrolled and known.
    The children of a class are named after `NAMES`, in order."""

    async def make(
        classes: dict[str, int],
        diets: dict[str, str] | None = None,
        school_year: str = YEAR,
        on: date = DAY,
        calendar: dict[str, object] | None = None,
    ) -> School:
        school_id = f"school-{unique}-{uuid.uuid4().hex[:4]}"
        response = await attendance.put(f"/office/schools/{school_id}/calendar", json=calendar or EVERY_DAY)
        assert response.status_code == 204, response.text
        response = await attendance.post("/office/terminals", json={"school_id": school_id})
        assert response.status_code == 201, response.text
        school = School(school_id, {"Authorization": f"Bearer {response.json()['token']}"})
        for class_id, n in classes.items():
            school.classes[class_id] = []
            for first, last in (NAMES * n)[:n]:
                student, account = uuid.uuid4(), uuid.uuid4()
                await enrol(
                    kafka,
                    topic_prefix,
                    StudentEnrolled(
                        student_id=student,
                        account_id=account,
                        tax_code=tax_code(year=2018),
                        first_name=first,
                        last_name=last,
                        school_id=school_id,
                        class_id=class_id,
                        diet=(diets or {}).get(class_id, "standard"),
                        school_year=school_year,
                    ),
                )
                school.classes[class_id].append(str(student))
                school.accounts[str(student)] = str(account)
        await roster_known(attendance, school, sum(classes.values()), on)
        return school

    return make


@pytest.fixture
def enrolment(kafka: str, topic_prefix: str) -> Callable[[StudentEnrolled], Awaitable[None]]:
    """`await enrolment(event)`: publishes a `student-enrolled` as the accounts service would."""

    async def publish_enrolment(event: StudentEnrolled) -> None:
        await enrol(kafka, topic_prefix, event)

    return publish_enrolment


async def enrol(kafka: str, prefix: str, event: StudentEnrolled) -> None:
    envelope = Envelope.wrap(event, producer="accounts")
    await publish(kafka, f"{prefix}student-enrolled", envelope.to_json(), key=str(event.account_id))


async def roster_known(attendance: httpx.AsyncClient, school: School, expected: int, on: date) -> None:
    """The kitchen forecast counts the whole roster once the projection has caught up."""

    async def known() -> bool:
        response = await attendance.get(f"{school.office_day(on)}/kitchen")
        return response.status_code == 200 and response.json()["total"] == expected

    await eventually(known)


async def events_about(
    kafka: str, topic: str, meal_ids: set[str], expect: int, settle: float = 1.0
) -> list[dict[str, Any]]:
    """The data of the events on `topic` about these meals, once `expect` of them arrived and
    `settle` seconds more passed (to catch an unwanted extra one). The topic is the session's."""

    def about(record: Any) -> bool:
        return bool(json.loads(record.value)["data"]["meal_id"] in meal_ids)

    records = await read_all(kafka, topic, expect, settle=settle, keep=about)
    return [json.loads(r.value)["data"] for r in records]


def meals(students: list[str], on: date = DAY) -> set[str]:
    return {str(meal_id(uuid.UUID(s), on)) for s in students}


MealEvents = Callable[..., Awaitable[list[dict[str, Any]]]]


@pytest.fixture
def meal_events(kafka: str, topic_prefix: str) -> MealEvents:
    """`await meal_events("meal-cancelled", students, expect=2)`: the events about these students'
    meals of the day (the topics are shared by the session's tests)."""

    async def about(topic: str, students: list[str], expect: int, on: date = DAY) -> list[dict[str, Any]]:
        return await events_about(kafka, f"{topic_prefix}{topic}", meals(students, on), expect)

    return about


@pytest.fixture
async def database(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    """Direct access to the attendance database, to make time pass (a close two days ago)."""
    conn = await asyncpg.connect(plain_dsn(infra.database_urls["attendance"]))
    yield conn
    await conn.close()
