"""Dead letters: what waits in the `.dlq` topics, and sending chosen ones back once fixed.

    python -m shared.dlq list   <topic>                      the dead letters of a topic and why
    python -m shared.dlq replay <topic> [--since ISO-TIME] [--event-id ID ...] [--dry-run]

`<topic>` is the original topic (`meal-consumed`); `KAFKA_BOOTSTRAP_SERVERS` and
`KAFKA_TOPIC_PREFIX` come from the environment, as the services read them. A re-driven record
goes back to its topic with its original key and value (and a `redriven_from` header): the
consumers' inbox makes a second re-drive, or a re-drive of a record that was applied after all,
change nothing. The `.dlq` topics keep their records forever (`retention.ms=-1`), so re-driving
never deletes anything either.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.messaging.kafka import make_producer
from shared.topics import Topic


@dataclass(frozen=True)
class DeadLetter:
    offset: int
    partition: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    reason: str
    event_id: str | None

    @classmethod
    def of(cls, record: ConsumerRecord[Any, Any]) -> DeadLetter:
        headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
        return cls(
            record.offset,
            record.partition,
            record.timestamp,
            record.key,
            record.value,
            headers.get("error_type", "?") + ": " + headers.get("error", ""),
            _event_id(record.value),
        )


def _event_id(value: bytes) -> str | None:
    try:
        return str(uuid.UUID(json.loads(value)["event_id"]))
    except (ValueError, KeyError, TypeError):
        return None  # unreadable: it can be re-driven by time, not by id


async def read_dead_letters(bootstrap: str, topic: str) -> list[DeadLetter]:
    """Everything in `<topic>.dlq`, read from the beginning without joining a group."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        partitions = await _partitions(bootstrap, f"{topic}.dlq")
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[DeadLetter] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            batch = await consumer.getmany(timeout_ms=1000)
            found += [DeadLetter.of(r) for records in batch.values() for r in records]
        return sorted(found, key=lambda d: (d.timestamp_ms, d.partition, d.offset))
    finally:
        await consumer.stop()


async def _partitions(bootstrap: str, topic: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="refettorio-dlq")
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    numbers = [
        p["partition"] for d in described if d["topic"] == topic and not d["error_code"] for p in d["partitions"]
    ]
    if not numbers:
        raise SystemExit(f"no such topic: {topic}")
    return [TopicPartition(topic, n) for n in sorted(numbers)]


async def waiting(bootstrap: str, prefix: str) -> dict[str, int]:
    """Per topic of the contract that has any, how many dead letters wait in its `.dlq` topic:
    its end offsets minus its beginning offsets. A re-drive copies records back and removes
    none (the `.dlq` keeps them forever, and it consumes in no group), so every record there is
    counted until someone deletes the topic after dealing with it."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="refettorio-dlq", request_timeout_ms=5000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        described = await admin.describe_topics([t for t in _dlq_topics(prefix) if t in existing])
    finally:
        await admin.close()
    partitions = [TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]]
    if not partitions:
        return {}
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, request_timeout_ms=5000)
    await consumer.start()
    try:
        first, ends = await consumer.beginning_offsets(partitions), await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    counts: Counter[str] = Counter()
    for tp in partitions:
        counts[tp.topic.removeprefix(prefix).removesuffix(".dlq")] += ends[tp] - first[tp]
    return {topic: n for topic, n in sorted(counts.items()) if n}


def _dlq_topics(prefix: str) -> list[str]:
    return [f"{prefix}{topic.value}.dlq" for topic in Topic]


def chosen(letters: Sequence[DeadLetter], since: datetime | None, event_ids: set[str]) -> list[DeadLetter]:
    since_ms = since.timestamp() * 1000 if since else None
    return [
        d
        for d in letters
        if (since_ms is None or d.timestamp_ms >= since_ms) and (not event_ids or d.event_id in event_ids)
    ]


async def redrive(bootstrap: str, topic: str, letters: Sequence[DeadLetter]) -> int:
    producer = make_producer(bootstrap, client_id="refettorio-dlq-redrive")
    await producer.start()
    try:
        for d in letters:
            headers = [("redriven_from", f"{topic}.dlq:{d.partition}:{d.offset}".encode())]
            await producer.send_and_wait(topic, d.value, key=d.key, headers=headers)
        return len(letters)
    finally:
        await producer.stop()


async def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    topic = os.environ.get("KAFKA_TOPIC_PREFIX", "") + args.topic
    letters = await read_dead_letters(bootstrap, topic)
    if args.command == "list":
        for reason, n in Counter(d.reason for d in letters).most_common():
            print(f"{n:6}  {reason}")
        print(f"{len(letters)} dead letters in {topic}.dlq")
        return 0
    picked = chosen(letters, args.since, set(args.event_id or ()))
    if args.dry_run:
        print(f"would re-drive {len(picked)} of {len(letters)} dead letters to {topic}")
        return 0
    print(f"re-drove {await redrive(bootstrap, topic, picked)} of {len(letters)} dead letters to {topic}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m shared.dlq", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("topic", help="the original topic, e.g. meal-consumed")
    parser.add_argument("--since", type=datetime.fromisoformat, help="only dead letters from this time on")
    parser.add_argument("--event-id", action="append", help="only this event (repeatable)")
    parser.add_argument("--dry-run", action="store_true")
    return parser


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
