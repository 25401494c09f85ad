"""Kafka clients configured once for money: acks from all replicas, idempotent producer."""

from __future__ import annotations

import contextlib

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.errors import InvalidPartitionsError, TopicAlreadyExistsError

from shared.topics import all_topic_names, min_insync_replicas


def server_list(bootstrap_servers: str) -> list[str]:
    """`host:port,host:port` as a list: FastStream's broker takes a string for one server only
    (aiokafka's own clients split the string themselves)."""
    return [server.strip() for server in bootstrap_servers.split(",") if server.strip()]


def make_producer(bootstrap_servers: str, client_id: str, request_timeout_ms: int = 30_000) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=request_timeout_ms,
    )


async def create_topics(
    bootstrap_servers: str, prefix: str = "", replication_factor: int = 1, partitions: int | None = None
) -> list[str]:
    """Creates every topic (and its `.dlq` twin) that does not exist yet, with `replication_factor`
    replicas and `min.insync.replicas` to match, and grows any topic that has fewer partitions
    than wanted (see `shared.topics`; an existing topic keeps its replication factor). Returns the
    topics created or grown."""
    wanted = all_topic_names(prefix, partitions)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="refettorio-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = {name: n for name, n in wanted.items() if name not in existing}
        if missing:
            config = {"min.insync.replicas": str(min_insync_replicas(replication_factor))}
            topics = [NewTopic(name, n, replication_factor, topic_configs=config) for name, n in missing.items()]
            # Another process may create them between our list and our create.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(topics)
        grown = await _grow(admin, {name: n for name, n in wanted.items() if name in existing})
        return sorted([*missing, *grown])
    finally:
        await admin.close()


async def _grow(admin: AIOKafkaAdminClient, wanted: dict[str, int]) -> list[str]:
    """Adds partitions to the topics that have fewer than wanted; returns their names."""
    if not wanted:
        return []
    counts = {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics(list(wanted))}
    short = {name: NewPartitions(n) for name, n in wanted.items() if counts.get(name, n) < n}
    if short:
        # The metadata may lag behind a growth just made (by us or another process).
        with contextlib.suppress(InvalidPartitionsError):
            await admin.create_partitions(short)
    return sorted(short)
