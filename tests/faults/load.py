"""The load of a fault test: families registered through the office's API, bursts of events on
the topics, and what Kafka says a consumer group has committed."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from aiokafka.protocol.commit import OffsetFetchRequest

from shared.events import Envelope, MealConsumed, PaymentReceived
from testkit.data import tax_code

from .system import OFFICE_TOKEN

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SCHOOL_YEAR = "2026/2027"


@dataclass(frozen=True)
class Family:
    account_id: uuid.UUID
    student_ids: list[uuid.UUID]
    holder_tax_code: str = ""


def school_days(count: int, first: date = date(2026, 9, 14)) -> list[date]:
    days = [first + timedelta(days=i) for i in range(count * 2)]
    return [d for d in days if d.weekday() < 5][:count]


async def register_families(
    accounts_url: str, count: int, school: str, children: int = 1, parallel: int = 8
) -> list[Family]:
    """`count` families through `POST /office/families`, each with `children` pupils of `school`."""
    gate = asyncio.Semaphore(parallel)
    async with httpx.AsyncClient(base_url=accounts_url, headers=OFFICE, timeout=30) as http:

        async def one(i: int) -> Family:
            students = [
                {
                    "tax_code": tax_code(year=2017),
                    "first_name": f"Alunno{n}",
                    "last_name": f"Famiglia{i}",
                    "school_year": SCHOOL_YEAR,
                    "school_id": school,
                    "class_id": f"{1 + i % 5}A",
                }
                for n in range(children)
            ]
            holder = tax_code()
            body = {
                "holder_tax_code": holder,
                "holder_first_name": "Genitore",
                "holder_last_name": f"Famiglia{i}",
                "students": students,
            }
            async with gate:
                response = await http.post("/office/families", json=body)
            assert response.status_code == 201, response.text
            created = response.json()
            return Family(uuid.UUID(created["account_id"]), [uuid.UUID(s) for s in created["student_ids"]], holder)

        return list(await asyncio.gather(*(one(i) for i in range(count))))


def meals(families: Sequence[Family], days: Iterable[date], school: str = "faults") -> list[Envelope[MealConsumed]]:
    """One meal per pupil per day, as attendance publishes them (the meal id is the pupil's day),
    day after day, the families interleaved."""
    out = []
    for day in days:
        for family in families:
            for student in family.student_ids:
                data = MealConsumed(
                    meal_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{student}:{day}:lunch"),
                    student_id=student,
                    account_id=family.account_id,
                    school_id=school,
                    class_id="1A",
                    service_date=day,
                )
                out.append(Envelope.wrap(data, producer="attendance"))
    return out


def top_up(account_id: uuid.UUID, cents: int) -> Envelope[PaymentReceived]:
    data = PaymentReceived(
        payment_id=uuid.uuid4(),
        notice_number=f"3{uuid.uuid4().int}"[:18],
        iuv=f"{uuid.uuid4().int}"[:15],
        account_id=account_id,
        amount_cents=cents,
        paid_at=datetime.now(UTC),
        channel="counter",
        psp="tabaccheria",
        receipt_id=uuid.uuid4().hex,
    )
    return Envelope.wrap(data, producer="payments")


async def publish(
    bootstrap: str, topic: str, items: Sequence[Envelope[Any] | bytes], per_second: int | None = None
) -> None:
    """Publishes every envelope with its partition key (raw bytes as they are), acks from all
    replicas; at `per_second` a steady flow instead of one burst."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    try:
        step = max(1, (per_second or len(items)) // 10)
        for start in range(0, len(items), step):
            await asyncio.gather(*[await _send(producer, topic, item) for item in items[start : start + step]])
            if per_second:
                await asyncio.sleep(0.1)
    finally:
        await producer.stop()


async def _send(producer: AIOKafkaProducer, topic: str, item: Envelope[Any] | bytes) -> asyncio.Future[object]:
    if isinstance(item, bytes):
        return await producer.send(topic, item, key=b"not-an-event")
    return await producer.send(topic, item.to_json(), key=item.data.partition_key().encode())


async def groups_of(bootstrap: str, prefix: str) -> list[str]:
    """The consumer groups of the services that run on `prefix`'s topics (read them while the
    services run: a broker just restarted may not know every group yet)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return sorted(str(g[0]) for g in await admin.list_consumer_groups() if str(g[0]).startswith(prefix))
    finally:
        await admin.close()


async def partitions_of(bootstrap: str, topic: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
        return [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
    finally:
        await admin.close()


async def end_total(bootstrap: str, topic: str) -> int:
    """How many records the topic has received, in all its partitions."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        return sum((await consumer.end_offsets(await partitions_of(bootstrap, topic))).values())
    finally:
        await consumer.stop()


async def committed(bootstrap: str, groups: Sequence[str], topic: str) -> int:
    """How many records of `topic` these groups have committed, in all."""
    partitions = await partitions_of(bootstrap, topic)
    total = 0
    for group in groups:
        total += sum(max(0, offset) for offset in (await offsets(bootstrap, group, partitions)).values())
    return total


async def offsets(bootstrap: str, group: str, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
    """The group's committed offset of each partition (-1: none), asked again while the group's
    coordinator answers that it is still loading, as it does after a restart: the admin client's
    own call takes that answer for "nothing committed"."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        deadline = time.monotonic() + 60
        topics = {tp.topic for tp in partitions}
        request = OffsetFetchRequest(group, [(t, [tp.partition for tp in partitions if tp.topic == t]) for t in topics])
        while True:
            with contextlib.suppress(KafkaError):
                response = await admin._send_request(request, await admin.find_coordinator(group))
                found = {TopicPartition(t, p[0]): (p[1], p[3]) for t, ps in response.topics for p in ps}
                if getattr(response, "error_code", 0) == 0 and all(code == 0 for _, code in found.values()):
                    return {tp: offset for tp, (offset, _) in found.items()}
            assert time.monotonic() < deadline, f"the coordinator of {group} did not answer within 60s"
            await asyncio.sleep(0.5)
    finally:
        await admin.close()


async def caught_up(bootstrap: str, groups: Sequence[str], topic: str) -> bool:
    """The groups have committed every record of the topic (one of them consumes it)."""
    return await committed(bootstrap, groups, topic) == await end_total(bootstrap, topic)


async def rewind(bootstrap: str, groups: Sequence[str], topics: Sequence[str]) -> None:
    """Commits offset 0 wherever these groups have committed on these topics (their processes
    stopped): at the next start each consumer replays its topic from the beginning."""
    partitions = [tp for topic in topics for tp in await partitions_of(bootstrap, topic)]
    for group in groups:
        consumed = [tp for tp, offset in (await offsets(bootstrap, group, partitions)).items() if offset >= 0]
        if not consumed:
            continue
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign(consumed)
            await consumer.commit({tp: 0 for tp in consumed})
        finally:
            await consumer.stop()
