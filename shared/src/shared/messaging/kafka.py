"""Kafka clients configured once for money: acks from all replicas, idempotent producer."""

from __future__ import annotations

import contextlib
import functools

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import InvalidPartitionsError, TopicAlreadyExistsError, for_code
from aiokafka.partitioner import DefaultPartitioner, murmur2

from shared.topics import DEAD_LETTER_CONFIG, all_topic_names, is_dead_letter, min_insync_replicas

DYNAMIC_TOPIC_CONFIG = 1  # DescribeConfigs' config_source of a value set on the topic itself


def server_list(bootstrap_servers: str) -> list[str]:
    """`host:port,host:port` as a list: FastStream's broker takes a string for one server only
    (aiokafka's own clients split the string themselves)."""
    return [server.strip() for server in bootstrap_servers.split(",") if server.strip()]


def make_producer(
    bootstrap_servers: str, client_id: str, request_timeout_ms: int = 30_000, linger_ms: int = 5
) -> AIOKafkaProducer:
    """`linger_ms`: how long a record waits for others to share its request (see `outbox_linger_ms`)."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=linger_ms,
        max_batch_size=256 * 1024,
        request_timeout_ms=request_timeout_ms,
        partitioner=KeyPartitioner(),
    )


class KeyPartitioner:
    """aiokafka's default partitioner for keyed records (murmur2 of the key, as the Java client
    computes it), with the hashes of recent keys remembered: the hash is pure Python, and the
    events of one account repeat its key. A city has ~90,000 families: 131,072 keys (~20 MB)
    keep every one of them remembered through a day's closes."""

    def __init__(self, remembered: int = 131_072) -> None:
        self._hash = functools.lru_cache(maxsize=remembered)(murmur2)

    def __call__(self, key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
        if key is None:
            return int(DefaultPartitioner()(key, all_partitions, available))
        return all_partitions[(self._hash(key) & 0x7FFFFFFF) % len(all_partitions)]


async def create_topics(
    bootstrap_servers: str, prefix: str = "", replication_factor: int = 1, partitions: int | None = None
) -> list[str]:
    """Creates every topic (and its `.dlq` twin) that does not exist yet, with `replication_factor`
    replicas and `min.insync.replicas` to match, grows any topic that has fewer partitions than
    wanted (see `shared.topics`; an existing topic keeps its replication factor), and makes every
    `.dlq` topic keep its records forever, an existing one too. Returns the topics created or
    changed."""
    wanted = all_topic_names(prefix, partitions)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="refettorio-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = {name: n for name, n in wanted.items() if name not in existing}
        if missing:
            config = {"min.insync.replicas": str(min_insync_replicas(replication_factor))}
            topics = [
                NewTopic(name, n, replication_factor, topic_configs=config | _own_config(name))
                for name, n in missing.items()
            ]
            # Another process may create them between our list and our create.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(topics)
        grown = await _grow(admin, {name: n for name, n in wanted.items() if name in existing})
        kept = await _keep_forever(admin, [name for name in wanted if name in existing and is_dead_letter(name)])
        return sorted({*missing, *grown, *kept})
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


def _own_config(name: str) -> dict[str, str]:
    return DEAD_LETTER_CONFIG if is_dead_letter(name) else {}


async def _keep_forever(admin: AIOKafkaAdminClient, names: list[str]) -> list[str]:
    """Gives the existing topics named the dead letters' retention (created before it was set);
    returns those changed. AlterConfigs replaces a topic's whole configuration, so the values set
    on the topic itself (its `min.insync.replicas`, say) are sent along."""
    if not names:
        return []
    own = await _topic_configs(admin, names)
    stale = {name: config for name, config in own.items() if not DEAD_LETTER_CONFIG.items() <= config.items()}
    if stale:
        resources = [
            ConfigResource(ConfigResourceType.TOPIC, name, configs=config | DEAD_LETTER_CONFIG)
            for name, config in stale.items()
        ]
        for response in await admin.alter_configs(resources):
            _raise_errors(response.resources)
    return sorted(stale)


async def _topic_configs(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    """The values set on each topic itself (not the broker's defaults)."""
    resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in names]
    configs: dict[str, dict[str, str]] = {}
    for response in await admin.describe_configs(resources):
        _raise_errors(response.resources)
        for _, _, _, name, entries in response.resources:
            # (name, value, read_only, config_source, is_sensitive, synonyms)
            configs[name] = {e[0]: e[1] for e in entries if e[3] == DYNAMIC_TOPIC_CONFIG}
    return configs


def _raise_errors(resources: list[tuple]) -> None:
    for error_code, message, _, name, *_ in resources:
        if error_code:
            raise for_code(error_code)(f"{name}: {message}")
