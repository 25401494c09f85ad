"""Kafka probes for tests: publish raw envelopes, read what a topic holds."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from shared.messaging.kafka import create_topics
from shared.topics import all_topic_names


async def publish(
    bootstrap: str, topic: str, value: bytes, key: str | None = None, headers: list[tuple[str, bytes]] | None = None
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key.encode() if key else None, headers=headers)
    finally:
        await producer.stop()


async def read_all(
    bootstrap: str,
    topic: str,
    expect: int,
    timeout: float = 20.0,
    settle: float = 0.5,
    keep: Callable[[ConsumerRecord[Any, Any]], bool] | None = None,
) -> list[ConsumerRecord[Any, Any]]:
    """Reads the topic from the beginning until `expect` records arrived, then `settle` seconds
    more (to catch any extra, unwanted record), or until `timeout`. With `keep`, only the records
    it keeps are returned and counted: a topic shared by a session's tests holds others' records."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"probe-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[ConsumerRecord[Any, Any]] = []
    deadline = time.monotonic() + timeout
    settled_at: float | None = None
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for partition_records in batch.values():
                records.extend(r for r in partition_records if keep is None or keep(r))
            if len(records) >= expect and settled_at is None:
                settled_at = time.monotonic() + settle
            if settled_at is not None and time.monotonic() >= settled_at:
                break
        return records
    finally:
        await consumer.stop()


async def eventually(check: Any, timeout: float = 20.0, interval: float = 0.1) -> Any:
    """Polls `check` (plain or async) until it returns a truthy value; fails with its last result."""
    deadline = time.monotonic() + timeout
    result = None
    while time.monotonic() < deadline:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last result: {result!r})")


@contextlib.asynccontextmanager
async def topics(bootstrap: str, prefix: str) -> AsyncIterator[str]:
    """Every topic of the architecture under `prefix`, deleted afterwards: test runs share the
    broker, and thousands of leftover partitions slow a small local broker to a crawl."""
    await create_topics(bootstrap, prefix)
    try:
        yield prefix
    finally:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="refettorio-test-cleanup")
        await admin.start()
        try:
            with contextlib.suppress(KafkaError):
                await admin.delete_topics(list(all_topic_names(prefix)))
        finally:
            await admin.close()
