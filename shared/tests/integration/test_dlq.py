"""A dead letter goes back to its topic once its cause is fixed, and is applied once however
often it is re-driven."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import dlq
from shared.db import SqlUnitOfWork
from shared.errors import PermanentError
from shared.events import Envelope, MealConsumed
from shared.messaging.consumer import BatchConsumer, Rule, exactly_once
from shared.messaging.kafka import make_producer
from testkit.kafka import publish, read_all

from .test_consumer import _meal


async def test_a_fixed_dead_letter_is_redriven_and_applied_once(
    engine: AsyncEngine, kafka: str, applied_table: Table, own_topics: str
) -> None:
    prefix = own_topics
    topic, group = f"{prefix}meal-consumed", f"test.dlq-{prefix}"
    fixed = False

    async def apply(uow: SqlUnitOfWork, meals: Sequence[Envelope[MealConsumed]]) -> None:
        if not fixed:
            raise PermanentError("scuola sconosciuta", code="scuola_sconosciuta")
        for meal in meals:
            await uow.connection.execute(applied_table.insert().values(event_id=meal.event_id))

    rule = Rule(MealConsumed, "apply", apply)
    producer = make_producer(kafka, client_id="test-dlq")
    await producer.start()
    try:
        consumer = BatchConsumer(
            MealConsumed, exactly_once(rule, group, lambda: SqlUnitOfWork(engine, "test")), producer, group=group
        )
        poison, other = _meal("lunch"), _meal("lunch")
        await publish(kafka, topic, other.to_json())  # already dead-lettered by someone else: not chosen
        await consumer.consume(await read_all(kafka, topic, expect=1))
        await publish(kafka, topic, poison.to_json())
        await consumer.consume(
            [r for r in await read_all(kafka, topic, expect=2) if b"%s" % str(poison.event_id).encode() in r.value]
        )
        letters = await dlq.read_dead_letters(kafka, topic)
        assert [d.event_id for d in letters] == [str(other.event_id), str(poison.event_id)]
        assert letters[1].reason == "PermanentError: scuola sconosciuta"

        fixed = True
        picked = dlq.chosen(letters, datetime.now(UTC) - timedelta(hours=1), {str(poison.event_id)})
        for _ in range(2):  # an operator re-drives it twice
            assert await dlq.redrive(kafka, topic, picked) == 1
        redriven = [r for r in await read_all(kafka, topic, expect=4) if dict(r.headers).get("redriven_from")]
        assert len(redriven) == 2 and all(r.value == poison.to_json() for r in redriven)
        await consumer.consume(redriven)
    finally:
        await producer.stop()
    async with engine.connect() as conn:
        applied = await conn.scalar(select(func.count()).where(applied_table.c.event_id == poison.event_id))
    assert applied == 1
    assert len(await dlq.read_dead_letters(kafka, topic)) == 2  # nothing deleted
