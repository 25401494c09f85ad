"""Kafka clients configured once for money: acks from all replicas, idempotent producer."""

from __future__ import annotations

import contextlib
import functools

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.partitioner import DefaultPartitioner, murmur2

from shared.topics import all_topic_names


def make_producer(bootstrap_servers: str, client_id: str, request_timeout_ms: int = 30_000) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=request_timeout_ms,
        partitioner=KeyPartitioner(),
    )


class KeyPartitioner:
    """aiokafka's default partitioner for keyed records (murmur2 of the key, as the Java client
    computes it), with the hashes of recent keys remembered: the hash is pure Python, and the
    events of one account repeat its key."""

    def __init__(self, remembered: int = 65536) -> None:
        self._hash = functools.lru_cache(maxsize=remembered)(murmur2)

    def __call__(self, key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
        if key is None:
            return int(DefaultPartitioner()(key, all_partitions, available))
        return all_partitions[(self._hash(key) & 0x7FFFFFFF) % len(all_partitions)]


async def create_topics(bootstrap_servers: str, prefix: str = "") -> list[str]:
    """Creates every topic (and its `.dlq` twin) that does not exist yet; returns those created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="refettorio-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = {name: n for name, n in all_topic_names(prefix).items() if name not in existing}
        if wanted:
            topics = [NewTopic(name, num_partitions=n, replication_factor=1) for name, n in wanted.items()]
            # Another process may create them between our list and our create.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(topics)
        return sorted(wanted)
    finally:
        await admin.close()
