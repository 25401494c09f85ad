"""One consumer for several rules on a real broker: each rule gets its topic's records only, under
its own inbox key, its dead letters go to its topic's `.dlq`, and the group commits both topics."""

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from sqlalchemy import Table, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import SqlUnitOfWork
from shared.events import Envelope, MealConsumed, PaymentReceived
from shared.messaging.adopt import adopt_offsets, commit_offsets
from shared.messaging.consumer import SAFE_SUBSCRIBER, BatchConsumer, Rule, exactly_once
from shared.messaging.dispatch import TopicDispatch, by_topic
from shared.messaging.kafka import make_producer
from shared.topics import PARTITIONS, Topic
from testkit.kafka import eventually, publish, read_all


def _meal() -> Envelope[MealConsumed]:
    data = MealConsumed(
        meal_id=uuid.uuid4(),
        student_id=uuid.uuid4(),
        account_id=uuid.uuid4(),
        school_id="s",
        class_id="c",
        service_date=date(2026, 11, 25),
        meal_type="lunch",
    )
    return Envelope.wrap(data, producer="test")


def _payment() -> Envelope[PaymentReceived]:
    data = PaymentReceived(
        payment_id=uuid.uuid4(),
        notice_number="301000000000000001",
        iuv="01000000000000001",
        account_id=uuid.uuid4(),
        amount_cents=2500,
        paid_at=datetime(2026, 11, 25, 10, tzinfo=UTC),
        channel="pagopa",
        psp="psp",
        receipt_id="r-1",
    )
    return Envelope.wrap(data, producer="test")


def test_records_are_split_by_topic_in_their_order() -> None:
    class R:
        def __init__(self, topic: str, offset: int) -> None:
            self.topic, self.offset = topic, offset

    records: Any = [R("a", 0), R("b", 0), R("a", 1), R("a", 2), R("b", 1)]
    split = by_topic(records)
    assert {t: [r.offset for r in rs] for t, rs in split.items()} == {"a": [0, 1, 2], "b": [0, 1]}


async def test_one_consumer_applies_each_rule_once_under_its_own_key(
    engine: AsyncEngine, kafka: str, applied_table: Table, own_topics: str
) -> None:
    prefix = own_topics
    meals_topic, payments_topic, group = f"{prefix}meal-consumed", f"{prefix}payment-received", f"{prefix}test"
    seen: dict[str, list[type]] = {"meals": [], "payments": []}

    def rule(event: type, name: str) -> Rule[Any, SqlUnitOfWork]:
        async def apply(uow: SqlUnitOfWork, envelopes: Sequence[Envelope[Any]]) -> None:
            seen[name] += [type(e.data) for e in envelopes]
            for e in envelopes:
                await uow.connection.execute(applied_table.insert().values(event_id=e.event_id))

        return Rule(event, name, apply)

    def consumer(event: type, name: str) -> BatchConsumer[Any]:
        handle = exactly_once(rule(event, name), f"test.{name}", lambda: SqlUnitOfWork(engine, producer="test"))
        return BatchConsumer(event, handle, dead_letters=producer, group=f"test.{name}")

    meal, payment = _meal(), _payment()
    for topic, value in [
        (meals_topic, meal.to_json()),
        (meals_topic, b"{not json"),
        (payments_topic, payment.to_json()),
    ]:
        await publish(kafka, topic, value, key="same-account")
    await publish(kafka, meals_topic, meal.to_json(), key="same-account")  # a duplicate: applied once

    producer = make_producer(kafka, client_id="test-dispatch")
    await producer.start()
    broker = KafkaBroker(kafka)
    dispatch = TopicDispatch(
        {meals_topic: [consumer(MealConsumed, "meals")], payments_topic: [consumer(PaymentReceived, "payments")]}
    )

    @broker.subscriber(meals_topic, payments_topic, group_id=group, **SAFE_SUBSCRIBER)
    async def on_batch(msg: KafkaMessage) -> None:
        await dispatch(msg)

    await broker.start()
    try:
        assert await eventually(lambda: _committed_to_end(kafka, [meals_topic, payments_topic], group))
        assert seen == {"meals": [MealConsumed], "payments": [PaymentReceived]}
        async with engine.connect() as conn:
            claims = set(
                (await conn.execute(text("SELECT consumer, event_id FROM inbox WHERE consumer LIKE 'test.%'"))).all()
            )
            applied = set((await conn.execute(select(applied_table.c.event_id))).scalars())
        assert {("test.meals", meal.event_id), ("test.payments", payment.event_id)} <= claims
        assert {meal.event_id, payment.event_id} <= applied
        (dead,) = await read_all(kafka, f"{meals_topic}.dlq", expect=1)
        assert dict(dead.headers)["original_topic"] == meals_topic.encode()
        assert await read_all(kafka, f"{payments_topic}.dlq", expect=0, timeout=3) == []
    finally:
        await broker.stop()
        await producer.stop()


async def _committed_to_end(kafka: str, topics: list[str], group: str) -> bool:
    probe = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=group, enable_auto_commit=False)
    await probe.start()
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in range(PARTITIONS[Topic.MEAL_CONSUMED])]
        ends = await probe.end_offsets(partitions)
        committed = {tp: await probe.committed(tp) or 0 for tp in partitions}
        return committed == ends
    finally:
        await probe.stop()


async def test_a_new_group_takes_its_rules_old_offsets_once(kafka: str, own_topics: str) -> None:
    meals, payments = (
        TopicPartition(f"{own_topics}meal-consumed", 0),
        TopicPartition(f"{own_topics}payment-received", 0),
    )
    await commit_offsets(kafka, f"{own_topics}svc.meals", {meals: 2, payments: 1})  # its payments: not its rule's topic
    await commit_offsets(kafka, f"{own_topics}svc.payments", {payments: 3})
    old = {f"{own_topics}svc.meals": meals.topic, f"{own_topics}svc.payments": payments.topic}

    assert await adopt_offsets(kafka, f"{own_topics}svc", old) == {meals: 2, payments: 3}
    await commit_offsets(kafka, f"{own_topics}svc.meals", {meals: 3})
    assert await adopt_offsets(kafka, f"{own_topics}svc", old) == {}  # once it has committed, never again
    probe = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=f"{own_topics}svc", enable_auto_commit=False)
    await probe.start()
    try:
        assert (await probe.committed(meals), await probe.committed(payments)) == (2, 3)
    finally:
        await probe.stop()
