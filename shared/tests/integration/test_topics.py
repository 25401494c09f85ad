"""Topics on a real broker: created once, grown to the partitions wanted, never shrunk; dead letters
kept forever."""

import uuid

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from shared.messaging.kafka import create_topics
from shared.topics import Topic, all_topic_names
from testkit.kafka import eventually, topics


async def partition_counts(kafka: str, prefix: str, delete: bool = False) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        names = list(all_topic_names(prefix))
        counts = {t["topic"].removeprefix(prefix): len(t["partitions"]) for t in await admin.describe_topics(names)}
        if delete:
            await admin.delete_topics(names)
        return counts
    finally:
        await admin.close()


async def test_topics_grow_to_the_partitions_wanted_and_never_shrink(kafka: str) -> None:
    prefix = f"g{uuid.uuid4().hex[:8]}."
    assert len(await create_topics(kafka, prefix, partitions=2)) == 2 * len(Topic)
    await eventually(lambda: counts_are(kafka, prefix, 2))  # the broker's metadata follows
    assert await create_topics(kafka, prefix, partitions=2) == []
    assert await create_topics(kafka, prefix, partitions=4) == sorted(prefix + t for t in Topic)
    await eventually(lambda: counts_are(kafka, prefix, 4))
    assert await create_topics(kafka, prefix, partitions=3) == []  # Kafka cannot remove partitions
    assert await counts_are(kafka, prefix, 4, delete=True)


async def counts_are(kafka: str, prefix: str, partitions: int, delete: bool = False) -> bool:
    counts = await partition_counts(kafka, prefix, delete)
    return {counts.get(t.value) for t in Topic} == {partitions} and {counts.get(t.dead_letter) for t in Topic} == {1}


async def topic_configs(kafka: str, names: list[str]) -> dict[str, dict[str, str]]:
    """Every setting of each topic, as the broker reports it (its defaults included)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in names]
        responses = await admin.describe_configs(resources)
        return {r[3]: {e[0]: e[1] for e in r[4]} for response in responses for r in response.resources}
    finally:
        await admin.close()


async def alter_topic(kafka: str, name: str, config: dict[str, str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, name, configs=config)])
    finally:
        await admin.close()


async def test_dead_letters_are_kept_forever_also_on_topics_made_before(kafka: str) -> None:
    prefix = f"r{uuid.uuid4().hex[:8]}."
    async with topics(kafka, prefix):
        names = list(all_topic_names(prefix))
        # A broker answers for a topic just made once its metadata has it.
        configs = await eventually(lambda: described(kafka, names))
        assert {configs[prefix + t.dead_letter]["retention.ms"] for t in Topic} == {"-1"}
        assert "-1" not in {configs[prefix + t]["retention.ms"] for t in Topic}  # the broker's week

        # A dead-letter topic made before the retention was set, with a value an operator chose:
        dlq = prefix + Topic.PAYMENT_RECEIVED.dead_letter
        await alter_topic(kafka, dlq, {"retention.ms": "604800000", "max.message.bytes": "2097152"})
        await eventually(lambda: retention_is(kafka, dlq, "604800000"))
        assert await create_topics(kafka, prefix) == [dlq]
        await eventually(lambda: retention_is(kafka, dlq, "-1"))
        config = (await topic_configs(kafka, [dlq]))[dlq]
        assert (config["retention.ms"], config["max.message.bytes"]) == ("-1", "2097152")
        assert await create_topics(kafka, prefix) == []


async def described(kafka: str, names: list[str]) -> dict[str, dict[str, str]] | None:
    configs = await topic_configs(kafka, names)
    return configs if all("retention.ms" in configs.get(name, {}) for name in names) else None


async def retention_is(kafka: str, name: str, value: str) -> bool:
    return (await topic_configs(kafka, [name]))[name]["retention.ms"] == value
