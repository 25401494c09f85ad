import asyncio
import json
import time
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import SqlUnitOfWork, plain_dsn
from shared.events import MealConsumed
from shared.messaging.kafka import make_producer
from shared.messaging.outbox import Listener, OutboxRelay, define_table
from testkit.infra import Infra
from testkit.kafka import eventually, read_all


def _meal(account_id: uuid.UUID) -> MealConsumed:
    return MealConsumed(
        meal_id=uuid.uuid4(),
        student_id=uuid.uuid4(),
        account_id=account_id,
        school_id="s",
        class_id="c",
        service_date=date(2026, 11, 25),
    )


@pytest.fixture
def prefix(own_topics: str) -> str:
    return own_topics


async def _drain(engine: AsyncEngine, kafka: str, prefix: str) -> int:
    producer = make_producer(kafka, client_id="test-relay", request_timeout_ms=1500)
    await producer.start()
    try:
        relay = OutboxRelay(engine, producer, lock_name=f"test-{prefix}")
        total = 0
        while published := await relay.publish_pending():
            total += published
        return total
    finally:
        await producer.stop()


async def test_committed_events_are_published_keyed_by_account_in_order(
    engine: AsyncEngine, kafka: str, prefix: str, outbox_table: Table
) -> None:
    outbox = outbox_table
    # Other tests share the kernel database: publish whatever is pending first.
    await _drain(engine, kafka, prefix)
    account = uuid.uuid4()
    meals = [_meal(account) for _ in range(5)]
    async with SqlUnitOfWork(engine, producer="test", topic_prefix=prefix) as uow:
        await uow.publish(*meals)
        await uow.commit()
    assert await _drain(engine, kafka, prefix) == 5
    records = await read_all(kafka, f"{prefix}meal-consumed", expect=5)
    assert [json.loads(r.value)["data"]["meal_id"] for r in records] == [str(m.meal_id) for m in meals]
    assert {r.key for r in records} == {str(account).encode()}
    assert len({r.partition for r in records}) == 1
    async with engine.connect() as conn:
        pending = await conn.execute(
            select(outbox.c.published_at).where(
                outbox.c.event_id.in_([uuid.UUID(json.loads(r.value)["event_id"]) for r in records])
            )
        )
        assert all(row.published_at is not None for row in pending)


async def test_events_of_a_rolled_back_transaction_never_leave(
    engine: AsyncEngine, kafka: str, prefix: str, outbox_table: Table
) -> None:
    await _drain(engine, kafka, prefix)
    async with SqlUnitOfWork(engine, producer="test", topic_prefix=prefix) as uow:
        await uow.publish(_meal(uuid.uuid4()))
        # no commit
    assert await _drain(engine, kafka, prefix) == 0
    assert await read_all(kafka, f"{prefix}meal-consumed", expect=1, timeout=2) == []


async def test_an_undeliverable_row_is_kept_and_retried(
    engine: AsyncEngine, kafka: str, prefix: str, outbox_table: Table
) -> None:
    outbox = outbox_table
    await _drain(engine, kafka, prefix)
    meal = _meal(uuid.uuid4())
    async with SqlUnitOfWork(engine, producer="test", topic_prefix=prefix) as uow:
        await uow.publish(meal)
        await uow.commit()

    class Down:
        sends = 0

        async def partitions_for(self, topic: str) -> set[int]:
            return {0}

        async def send(self, *args: object, **kwargs: object) -> object:
            Down.sends += 1
            raise ConnectionError("broker unreachable")

    relay = OutboxRelay(engine, Down(), lock_name=f"test-{prefix}")
    task = asyncio.create_task(relay.run())
    await eventually(lambda: Down.sends >= 2)  # tried, failed, and tried again after a backoff
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(outbox).where(outbox.c.topic == f"{prefix}meal-consumed", outbox.c.published_at.is_(None))
            )
        ).first()
    # A broker that is down fails the batch: the row is neither marked nor set aside.
    assert row is not None and row.published_at is None and row.attempts == 0
    assert await _drain(engine, kafka, prefix) == 1
    assert len(await read_all(kafka, f"{prefix}meal-consumed", expect=1)) == 1


async def test_a_row_for_a_missing_topic_is_set_aside_and_blocks_nothing(
    engine: AsyncEngine, kafka: str, prefix: str, outbox_table: Table
) -> None:
    await _drain(engine, kafka, prefix)
    poison, after = _meal(uuid.uuid4()), _meal(uuid.uuid4())
    async with SqlUnitOfWork(engine, producer="test", topic_prefix=f"missing-{prefix}") as uow:
        await uow.publish(poison)
        await uow.commit()
    async with SqlUnitOfWork(engine, producer="test", topic_prefix=prefix) as uow:
        await uow.publish(after)
        await uow.commit()
    producer = make_producer(kafka, client_id="test-relay", request_timeout_ms=1500)
    await producer.start()
    try:
        relay = OutboxRelay(engine, producer, lock_name=f"test-{prefix}")
        while await relay.publish_pending():
            pass
    finally:
        await producer.stop()
    records = await read_all(kafka, f"{prefix}meal-consumed", expect=1)
    assert [json.loads(r.value)["data"]["meal_id"] for r in records] == [str(after.meal_id)]  # did not wait
    async with engine.connect() as conn:
        kept = (
            await conn.execute(select(outbox_table).where(outbox_table.c.topic == f"missing-{prefix}meal-consumed"))
        ).one()
    assert kept.published_at is None and kept.attempts == 3 and "UnknownTopicOrPartition" in kept.last_error


def test_the_table_shape_matches_the_migration_helper(outbox_table: Table) -> None:
    # The Core table used at run time and the one migrations create must agree on columns.
    from sqlalchemy import MetaData

    assert {c.name for c in define_table(MetaData()).columns} == {c.name for c in outbox_table.columns}


async def test_a_commit_wakes_an_idle_relay_at_once(
    engine: AsyncEngine, infra: Infra, kafka: str, prefix: str, outbox_table: Table
) -> None:
    await _drain(engine, kafka, prefix)
    producer = make_producer(kafka, client_id="test-relay", request_timeout_ms=1500)
    await producer.start()
    listener = Listener(plain_dsn(infra.database_urls["kernel"]))
    # Without a notification this relay would sleep a minute between looks at the table.
    relay = OutboxRelay(engine, producer, lock_name=f"test-{prefix}", idle_seconds=60, wakeup=listener)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.5)  # the relay found nothing and is waiting
        meal = _meal(uuid.uuid4())
        committed = time.monotonic()
        async with SqlUnitOfWork(engine, producer="test", topic_prefix=prefix) as uow:
            await uow.publish(meal)
            await uow.commit()
        records = await read_all(kafka, f"{prefix}meal-consumed", expect=1, settle=0)
        assert [json.loads(r.value)["data"]["meal_id"] for r in records] == [str(meal.meal_id)]
        assert time.monotonic() - committed < 5
    finally:
        relay.stop()
        await asyncio.wait_for(task, 5)
        await listener.close()
        await producer.stop()


class NoProducer:
    async def send(self, topic: str, value: bytes, key: bytes, headers: object = None) -> None:
        raise AssertionError("purging publishes nothing")

    async def partitions_for(self, topic: str) -> set[int]:
        return {0}


async def test_published_rows_are_purged_after_the_retention_and_pending_ones_never(
    engine: AsyncEngine, kafka: str, prefix: str, outbox_table: Table
) -> None:
    await _drain(engine, kafka, prefix)
    old_published, old_pending, recent = _meal(uuid.uuid4()), _meal(uuid.uuid4()), _meal(uuid.uuid4())
    async with SqlUnitOfWork(engine, producer="test", topic_prefix=f"purge-{prefix}") as uow:
        await uow.publish(old_published, old_pending, recent)
        await uow.commit()
    async with engine.begin() as conn:
        rows = (
            (
                await conn.execute(
                    select(outbox_table.c.id)
                    .where(outbox_table.c.topic == f"purge-{prefix}meal-consumed")
                    .order_by(outbox_table.c.id)
                )
            )
            .scalars()
            .all()
        )
        first, second, third = rows
        four_days_ago = text("now() - interval '4 days'")
        await conn.execute(
            outbox_table.update()
            .where(outbox_table.c.id == first)
            .values(published_at=four_days_ago, created_at=four_days_ago)
        )
        await conn.execute(outbox_table.update().where(outbox_table.c.id == second).values(created_at=four_days_ago))
        await conn.execute(outbox_table.update().where(outbox_table.c.id == third).values(published_at=func.now()))
    relay = OutboxRelay(engine, NoProducer(), lock_name=f"test-{prefix}")
    assert await relay.purge_published(timedelta(days=3)) >= 1
    async with engine.connect() as conn:
        left = set((await conn.execute(select(outbox_table.c.id).where(outbox_table.c.id.in_(rows)))).scalars())
    assert left == {second, third}
