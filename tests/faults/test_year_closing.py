"""The school year's closing survives a SIGKILL of the accounts process in the middle of a batch:
the batch under way rolls back whole, the next run of the process resumes the job after the
last batch committed, and every account is closed once (one closing movement, one refund)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.domain.users import Principal, Role
from accounts.handlers.close_school_year import start_closing
from shared.db import make_engine
from shared.school_year import SchoolYear
from testkit.data import rome_today
from testkit.databases import plain_dsn
from testkit.kafka import eventually

from .books import count, rows, wait_outboxes_drained
from .conftest import topics
from .load import OFFICE, SCHOOL_YEAR, register_families
from .system import Service, note, service_env, serving

pytestmark = pytest.mark.timeout(300)
BALANCES = [1500, -700, 2000, 900, 0, 300]  # two accounts per batch: the third batch is killed
CLOSINGS = "SELECT count(*) FROM ledger_entry WHERE source = 'year-closing'"
SLEEPING = "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"


@pytest.fixture(scope="module")
async def accounts(kafka: str, accounts_db: str, logs: Path) -> AsyncIterator[Service]:
    async with topics(kafka) as prefix:
        env = service_env(kafka, prefix, {"accounts": accounts_db}, ACCOUNTS_YEAR_CLOSING_BATCH_SIZE="2")
        service = Service("accounts", env, logs)
        async with serving(service):
            yield service


async def with_balances(url: str) -> list[uuid.UUID]:
    """The families of the year, with their balances; their accounts in the closing's order."""
    families = await register_families(url, len(BALANCES), "primaria-chiusura")
    async with httpx.AsyncClient(base_url=url, headers=OFFICE, timeout=30) as http:
        for family, cents in zip(families, BALANCES, strict=True):
            if cents:
                booked = await http.post(
                    f"/office/accounts/{family.account_id}/adjustments",
                    json={"amount_cents": cents, "reason": "saldo iniziale"},
                )
                assert booked.status_code == 201, booked.text
    return sorted(f.account_id for f in families)


async def test_a_closing_killed_mid_batch_resumes_and_books_each_account_once(
    accounts: Service, accounts_db: str
) -> None:
    ordered = await with_balances(accounts.url)
    balances = dict(await rows(accounts_db, "SELECT id, balance_cents FROM account"))
    in_third_batch = next(a for a in ordered[4:] if balances[a] != 0)
    conn = await asyncpg.connect(plain_dsn(accounts_db))
    try:  # the third batch stops mid-transaction (after its claims and some movements) for a while
        await conn.execute(
            "CREATE FUNCTION slow_closing() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(6); RETURN NEW; END $$"
        )
        await conn.execute(
            "CREATE TRIGGER slow_closing BEFORE INSERT ON ledger_entry FOR EACH ROW WHEN "
            f"(NEW.account_id = '{in_third_batch}' AND NEW.source = 'year-closing') EXECUTE FUNCTION slow_closing()"
        )
    finally:
        await conn.close()

    engine = make_engine(accounts_db, pool_size=1)
    try:
        manager = Principal(uuid.uuid4(), Role.MANAGER, name="Paolo Gialli")
        uow = SqlAccountsUnitOfWork(engine, "accounts")
        year = SchoolYear.parse(SCHOOL_YEAR)
        started = await start_closing(uow, year, manager, rome_today(), "Prova di resistenza")
        assert started.job.total == len(BALANCES)
    finally:
        await engine.dispose()
    await eventually(lambda: count(accounts_db, SLEEPING), timeout=60)
    note("the third batch is mid-transaction: SIGKILL")
    await accounts.kill()

    conn = await asyncpg.connect(plain_dsn(accounts_db))
    try:  # waits for the dead process's transaction to end (rolled back)
        await conn.execute("DROP TRIGGER slow_closing ON ledger_entry")
        await conn.execute("DROP FUNCTION slow_closing()")
    finally:
        await conn.close()
    job = (await rows(accounts_db, "SELECT state, done FROM year_closing_job"))[0]
    assert (job["state"], job["done"]) == ("running", 4)
    assert await count(accounts_db, "SELECT count(*) FROM year_closing") == 4  # the killed batch left nothing
    assert await count(accounts_db, CLOSINGS + " AND account_id = ANY($1)", ordered[4:]) == 0

    await accounts.start()
    note("started again: the job resumes")

    async def over() -> bool:
        return await count(accounts_db, "SELECT count(*) FROM year_closing_job WHERE state = 'done'") == 1

    await eventually(over, timeout=60)
    await asyncio.sleep(1.0)  # anything extra still on its way
    per_account = dict(await rows(accounts_db, CLOSINGS.replace("count(*)", "account_id, count(*)") + " GROUP BY 1"))
    assert per_account == {a: 1 for a in ordered if balances[a] != 0}  # once each, the zero balance none
    refunds = dict(await rows(accounts_db, "SELECT account_id, count(*) FROM refund GROUP BY 1"))
    assert refunds == {a: 1 for a in ordered if balances[a] > 0}  # no child continues: credit is refunded
    unbalanced = await count(
        accounts_db,
        "SELECT count(*) FROM account a WHERE a.balance_cents <> "
        "(SELECT coalesce(sum(amount_cents), 0) FROM ledger_entry e WHERE e.account_id = a.id)",
    )
    assert unbalanced == 0
    assert await count(accounts_db, "SELECT count(*) FROM account WHERE balance_cents > 0") == 0
    await wait_outboxes_drained(accounts_db)
