"""The office's routes need the person the gateway acts for (`shared.acting`), verified with
accounts' public key, and record them: the service token alone opens nothing; a header signed by
another key, for another service, or naming a parent is refused."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import asyncpg
import httpx
import pytest

from shared.acting import Person
from testkit.acting import person_header
from testkit.databases import plain_dsn
from testkit.infra import Infra

Helper = Callable[..., Awaitable[Any]]  # fixtures of conftest.py
NOBODY = httpx.Auth()  # replaces the client's own `ForPerson`: the service token alone


async def declared_by(infra: Infra, school_id: str, day: date) -> str:
    conn = await asyncpg.connect(plain_dsn(infra.database_urls["attendance"]))
    try:
        value = await conn.fetchval(
            "SELECT declared_by FROM closure WHERE school_id = $1 AND service_date = $2", school_id, day
        )
    finally:
        await conn.close()
    return str(value)


async def test_a_closure_records_the_member_of_staff(
    attendance: httpx.AsyncClient, make_school: Helper, infra: Infra
) -> None:
    school = await make_school({"1A": 1})
    manager = Person(str(uuid.uuid4()), "manager")
    closure = {"service_date": "2026-12-09", "kind": "strike", "reason": "Sciopero"}
    answer = await attendance.post(
        f"/office/schools/{school.id}/closures", json=closure, headers=person_header("attendance", manager)
    )
    assert answer.status_code == 200, answer.text
    assert await declared_by(infra, school.id, date(2026, 12, 9)) == f"manager:{manager.user_id}"


async def test_the_service_token_alone_opens_no_office_route(
    attendance: httpx.AsyncClient, make_school: Helper
) -> None:
    school = await make_school({"1A": 1})
    closure = {"service_date": "2026-12-10", "kind": "strike", "reason": "Sciopero"}
    refused = await attendance.post(f"/office/schools/{school.id}/closures", json=closure, auth=NOBODY)
    assert refused.status_code == 401 and refused.json()["code"] == "persona_mancante"
    calendar = await attendance.get(f"/office/schools/{school.id}/calendar", params={"month": "2026-12"}, auth=NOBODY)
    assert calendar.status_code == 401


# Minted when the test runs, not at collection: a header lives a minute.
NOT_VOUCHED: dict[str, tuple[Callable[[], dict[str, str]], int]] = {
    "another key": (lambda: person_header("attendance", signing_key="una-chiave-non-di-accounts"), 401),
    "another service": (lambda: person_header("payments"), 401),
    "not a token": (lambda: {"Refettorio-Person": "non.un.token"}, 401),
    "a parent": (lambda: person_header("attendance", Person(str(uuid.uuid4()), "parent", str(uuid.uuid4()))), 403),
}


@pytest.mark.parametrize("case", sorted(NOT_VOUCHED))
async def test_a_person_the_gateway_did_not_vouch_for_is_refused(
    attendance: httpx.AsyncClient, make_school: Helper, case: str
) -> None:
    header, status = NOT_VOUCHED[case]
    school = await make_school({"1A": 1})
    closure = {"service_date": "2026-12-11", "kind": "strike", "reason": "Sciopero"}
    refused = await attendance.post(
        f"/office/schools/{school.id}/closures", json=closure, headers=header(), auth=NOBODY
    )
    assert refused.status_code == status, refused.text
