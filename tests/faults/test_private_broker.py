"""The broker killed, and a consumer killed around its commits, under a burst of meals.

The accounts service runs as a real process on a Kafka node of the module's own (the shared
broker is never touched) and an empty database on the shared PostgreSQL. The module registers
families through the office's API once; each test publishes a burst of `meal-consumed` for
days of its own (and top-ups), as attendance and payments would, strikes, and ends with the
books exact (`books.py`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from testkit.databases import plain_dsn
from testkit.kafka import eventually
from testkit.private_kafka import PrivateKafka, private_kafka

from .books import Books, meals_booked, until_booked, wait_booked, wait_outboxes_drained
from .conftest import topics
from .load import Family, caught_up, committed, groups_of, meals, publish, register_families, school_days, top_up
from .system import Service, note, service_env, serving

pytestmark = pytest.mark.timeout(420)
DAYS = school_days(150)  # 100 families: 3,000 meals a burst, 6,000 where the strike must fall mid-burst


@pytest.fixture(scope="module")
def broker() -> Iterator[PrivateKafka]:
    with private_kafka(nodes=1) as kafka:
        note(f"private Kafka node up on {kafka.bootstrap}")
        yield kafka


@pytest.fixture(scope="module")
async def accounts(broker: PrivateKafka, accounts_db: str, logs: Path) -> AsyncIterator[Service]:
    async with topics(broker.bootstrap, keep=True) as prefix:
        service = Service("accounts", service_env(broker.bootstrap, prefix, {"accounts": accounts_db}), logs)
        async with serving(service):
            yield service


@pytest.fixture(scope="module")
async def families(accounts: Service) -> list[Family]:
    return await register_families(accounts.url, 100, "primaria-broker")


async def test_the_broker_killed_under_load_and_restarted_loses_and_doubles_nothing(
    broker: PrivateKafka, accounts: Service, families: list[Family], accounts_db: str, books: Books
) -> None:
    burst = meals(families, DAYS[:30])
    credits = [top_up(f.account_id, 2000) for f in families]
    books.meals(burst)
    for credit in credits:
        books.top_up(credit.data.payment_id, credit.data.account_id, 2000)
    await publish(broker.bootstrap, f"{accounts.prefix}meal-consumed", burst)
    await publish(broker.bootstrap, f"{accounts.prefix}payment-received", credits)

    booked = await until_booked(accounts_db, [str(m.data.meal_id) for m in burst], 0.25)
    broker.kill()
    note(f"broker killed with {booked} of {len(burst)} meals booked")
    await asyncio.sleep(3)  # the consumers and the relay meet a dead broker
    await asyncio.to_thread(broker.up)
    note("broker up again")

    await wait_booked(accounts_db, books)
    await wait_outboxes_drained(accounts_db)
    note("books exact, outbox drained")
    assert accounts.alive() and len(accounts.runs) == 1, "the service carried on without a restart"


async def test_a_consumer_killed_after_its_database_commit_and_before_its_offsets(
    broker: PrivateKafka, accounts: Service, families: list[Family], accounts_db: str, books: Books
) -> None:
    """The broker is taken away mid-burst: the consumer books the batches it already fetched,
    and their offsets cannot be committed. Killed then, it leaves meals booked past its offsets."""
    topic = f"{accounts.prefix}meal-consumed"
    groups = await groups_of(broker.bootstrap, accounts.prefix)
    note(f"consumer groups: {groups}")
    assert groups, "the service's consumer groups are known"
    await eventually(lambda: caught_up(broker.bootstrap, groups, topic), timeout=60)
    before = await committed(broker.bootstrap, groups, topic)
    burst = meals(families, DAYS[30:90])
    meal_ids = [str(m.data.meal_id) for m in burst]
    books.meals(burst)
    await publish(broker.bootstrap, topic, burst)

    await until_booked(accounts_db, meal_ids, 0.05)  # early: the consumer books a burst fast
    broker.kill()
    await asyncio.sleep(2)
    booked = await meals_booked(accounts_db, meal_ids)
    await accounts.kill()
    await asyncio.to_thread(broker.up)
    offsets = await committed(broker.bootstrap, groups, topic) - before
    note(f"consumer killed with {booked} meals booked and the offsets of {offsets} committed")
    assert booked > offsets, "the kill did not come between a database commit and its offsets"

    await accounts.start()  # it reads again from the committed offsets: the booked ones come again
    await wait_booked(accounts_db, books)
    await wait_outboxes_drained(accounts_db)
    note("books exact, outbox drained")


async def test_a_consumer_killed_mid_transaction_twice(
    accounts: Service, families: list[Family], accounts_db: str, books: Books
) -> None:
    """Each kill comes while PostgreSQL shows a transaction of the service that has written and
    not committed; that transaction is rolled back and its meals are booked by the next run. Each
    kill has a burst of its own, published before it: a restarted consumer can book the whole rest
    of one burst in a single batch, which would leave nothing to strike at."""
    watcher = await asyncpg.connect(plain_dsn(accounts_db))
    try:
        outcomes = []
        for days in (DAYS[90:120], DAYS[120:150]):
            burst = meals(families, days)
            books.meals(burst)
            await publish(accounts.env["KAFKA_BOOTSTRAP_SERVERS"], f"{accounts.prefix}meal-consumed", burst)
            await until_booked(accounts_db, [str(m.data.meal_id) for m in burst], 0.2)
            transaction = await writing_transaction(watcher)
            await accounts.kill()
            outcomes.append(await outcome(watcher, transaction))
            note(f"killed past 20% of a burst of {len(burst)} meals, in transaction {transaction}: {outcomes[-1]}")
            await accounts.start()
    finally:
        await watcher.close()
    assert "aborted" in outcomes, f"no kill cut a transaction: {outcomes}"

    await wait_booked(accounts_db, books)
    await wait_outboxes_drained(accounts_db)
    note("books exact, outbox drained")


async def writing_transaction(watcher: asyncpg.Connection, timeout: float = 60) -> int:
    """The full (epoch-qualified) id of a transaction of another session of this database that has
    written and not committed yet, as soon as there is one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        xid = await watcher.fetchval(
            "SELECT ((pg_snapshot_xmax(pg_current_snapshot())::text::bigint >> 32) << 32)"
            " + backend_xid::text::bigint FROM pg_stat_activity"
            " WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() LIMIT 1"
        )
        if xid is not None:
            return int(xid)
    raise AssertionError("no transaction of the service seen writing")


async def outcome(watcher: asyncpg.Connection, transaction: int, timeout: float = 30) -> str:
    """`committed` or `aborted`, once the server has settled the transaction of a dead client."""
    deadline = time.monotonic() + timeout
    status = "in progress"
    while status == "in progress" and time.monotonic() < deadline:
        status = await watcher.fetchval("SELECT pg_xact_status($1::text::xid8)", str(transaction))
        await asyncio.sleep(0.05)
    return str(status)
