"""The consumer plumbing on a real broker: dead letters, retries, idempotency, commits."""

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date

from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import SqlUnitOfWork
from shared.errors import PermanentError, TransientError
from shared.events import Envelope, MealConsumed
from shared.messaging.consumer import SAFE_SUBSCRIBER, BatchConsumer
from shared.messaging.kafka import make_producer
from testkit.kafka import eventually, publish, read_all


def _meal(meal_type: str) -> Envelope[MealConsumed]:
    return Envelope.wrap(
        MealConsumed(
            meal_id=uuid.uuid4(),
            student_id=uuid.uuid4(),
            account_id=uuid.uuid4(),
            school_id="s",
            class_id="c",
            service_date=date(2026, 11, 25),
            meal_type=meal_type,
        ),
        producer="test",
    )


async def test_poison_goes_to_the_dead_letter_topic_and_the_rest_is_applied_once(
    engine: AsyncEngine, kafka: str, applied_table: Table, own_topics: str
) -> None:
    prefix = own_topics
    topic, group = f"{prefix}meal-consumed", f"test.apply-{prefix}"
    attempts: Counter[uuid.UUID] = Counter()

    async def apply(envelopes: Sequence[Envelope[MealConsumed]]) -> None:
        for e in envelopes:
            attempts[e.event_id] += 1
            if e.data.meal_type == "poison":
                raise PermanentError("pasto non valido", code="poison")
            if e.data.meal_type == "flaky" and attempts[e.event_id] < 3:
                raise TransientError("database momentaneamente non raggiungibile")
        async with SqlUnitOfWork(engine, producer="test") as uow:
            fresh = await uow.claim(group, [e.event_id for e in envelopes])
            for e in envelopes:
                if e.event_id in fresh:
                    await uow.connection.execute(applied_table.insert().values(event_id=e.event_id))
            await uow.commit()

    good, poison, flaky = _meal("lunch"), _meal("poison"), _meal("flaky")
    for value in (good.to_json(), b"{not json", poison.to_json(), flaky.to_json(), good.to_json()):
        await publish(kafka, topic, value, key="same-account")  # one partition: one ordered batch

    producer = make_producer(kafka, client_id="test-dlq")
    await producer.start()
    broker = KafkaBroker(kafka)
    consumer = BatchConsumer(MealConsumed, apply, dead_letters=producer)

    @broker.subscriber(topic, group_id=group, **SAFE_SUBSCRIBER)
    async def on_batch(msg: KafkaMessage) -> None:
        await consumer(msg)

    await broker.start()
    try:

        async def applied_ids() -> set[uuid.UUID] | None:
            async with engine.connect() as conn:
                ids = set(
                    (
                        await conn.execute(
                            select(applied_table.c.event_id).where(
                                applied_table.c.event_id.in_([good.event_id, poison.event_id, flaky.event_id])
                            )
                        )
                    ).scalars()
                )
            return ids if len(ids) >= 2 else None

        assert await eventually(applied_ids) == {good.event_id, flaky.event_id}
        dead = await read_all(kafka, f"{topic}.dlq", expect=2)
        assert len(dead) == 2
        reasons = {dict(r.headers)["error_type"].decode(): dict(r.headers) for r in dead}
        assert set(reasons) == {"ValidationError", "PermanentError"}
        assert reasons["PermanentError"]["error"] == b"pasto non valido"
        assert reasons["PermanentError"]["original_topic"] == topic.encode()
        assert attempts[flaky.event_id] >= 3
        await eventually(lambda: _committed_to_end(kafka, topic, group))
    finally:
        await broker.stop()
        await producer.stop()


async def _committed_to_end(kafka: str, topic: str, group: str) -> bool:
    probe = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=group, enable_auto_commit=False)
    await probe.start()
    try:
        partitions = [TopicPartition(topic, p) for p in probe.partitions_for_topic(topic) or []]
        ends = await probe.end_offsets(partitions)
        for tp in partitions:
            if (await probe.committed(tp) or 0) != ends[tp]:
                return False
        return True
    finally:
        await probe.stop()
