"""Staff passwords where the setting turns them on (issue 13, findings 7 and 8), on the real
service and database: a reset goes to the staff member's own address with its link sealed (no
token in clear in the outbox), the link works once, requests are throttled, and 50 parallel
guesses on one email cannot pass the lockout."""

import asyncio
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.adapters.argon2_passwords import Argon2Passwords
from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.domain.users import Role
from accounts.handlers import users
from shared.sealing import DEV_SEALING_KEY, unseal

from .staff import INSTALLER
from .test_auth import PASSWORD, portal

NEW_PASSWORD = "un'altra-password-lunga"


async def new_operator(engine: AsyncEngine) -> str:
    email = f"op-{uuid.uuid4().hex[:8]}@comune.example.it"
    new = users.NewStaff(None, email, "Giovanna Neri", Role.OPERATOR, PASSWORD)
    await users.create_staff(SqlAccountsUnitOfWork(engine, "accounts"), Argon2Passwords(), INSTALLER, new)
    return email


async def reset_requests_for(engine: AsyncEngine, email: str) -> list[bytes]:
    """The outbox rows asking for a password-reset email to `email` (raw, as Kafka gets them)."""
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT payload FROM outbox WHERE topic LIKE '%notification-requested'"))
    return [row.payload for row in rows if email.encode() in row.payload]


async def test_a_reset_goes_to_the_staff_members_own_address_sealed_and_works_once(
    office: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    email = await new_operator(engine)
    asked = await office.post("/auth/password-reset", json={"email": email.upper()})
    assert asked.status_code == 202
    [raw] = await reset_requests_for(engine, email)
    data = json.loads(raw)["data"]
    assert data["email"] == email and data["account_ids"] == [] and data["channels"] == ["email"]
    link = unseal(data["params"]["sealed_reset_url"], DEV_SEALING_KEY)
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert link.startswith("http://test/ufficio/password/nuova?") and len(token) >= 32
    assert token.encode() not in raw and b'"reset_url"' not in raw  # only the sealed link travels
    confirm = {"token": token, "password": NEW_PASSWORD}
    assert (await office.post("/auth/password-reset/confirm", json=confirm)).status_code == 204
    again = await office.post("/auth/password-reset/confirm", json=confirm)
    assert again.status_code == 400 and again.json()["code"] == "collegamento_non_valido"
    async with portal(office) as someone:
        old = await someone.post("/auth/login", json={"email": email, "password": PASSWORD})
        new = await someone.post("/auth/login", json={"email": email, "password": NEW_PASSWORD})
    assert old.status_code == 401 and new.status_code == 200


async def test_an_unknown_address_gets_the_same_answer_and_no_email(
    office: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    email = f"nessuno-{uuid.uuid4().hex[:8]}@example.it"
    asked = await office.post("/auth/password-reset", json={"email": email})
    assert asked.status_code == 202
    assert await reset_requests_for(engine, email) == []


async def test_reset_requests_are_rate_limited(office: httpx.AsyncClient, engine: AsyncEngine) -> None:
    email = await new_operator(engine)
    async with portal(office, address="10.9.0.1") as someone:
        answers = [(await someone.post("/auth/password-reset", json={"email": email})).status_code for _ in range(5)]
    assert answers == [202, 202, 202, 429, 429]  # three an hour per email (the default)
    assert len(await reset_requests_for(engine, email)) == 3


async def test_fifty_parallel_guesses_cannot_pass_the_lockout(office: httpx.AsyncClient, engine: AsyncEngine) -> None:
    email = await new_operator(engine)

    async def guess(n: int) -> int:
        async with portal(office, address=f"10.8.{n // 200}.{n % 200 + 1}") as someone:
            answer = await someone.post("/auth/login", json={"email": email, "password": f"sbagliata-{n}"})
        return answer.status_code

    answers = await asyncio.gather(*(guess(n) for n in range(50)))
    assert sorted(answers) == [401] * 5 + [429] * 45  # five failures counted, the rest refused
    async with portal(office, address="10.7.0.1") as owner:
        late = await owner.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert late.status_code == 429  # locked even for the right password, until the window ends
