"""Topics on a real broker: created once, grown to the partitions wanted, never shrunk."""

import uuid

from aiokafka.admin import AIOKafkaAdminClient

from shared.messaging.kafka import create_topics
from shared.topics import Topic


async def partition_counts(kafka: str, prefix: str) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        names = [prefix + t for t in Topic] + [prefix + t.dead_letter for t in Topic]
        return {t["topic"].removeprefix(prefix): len(t["partitions"]) for t in await admin.describe_topics(names)}
    finally:
        await admin.close()


async def test_topics_grow_to_the_partitions_wanted_and_never_shrink(kafka: str) -> None:
    prefix = f"g{uuid.uuid4().hex[:8]}."
    assert len(await create_topics(kafka, prefix, partitions=2)) == 2 * len(Topic)
    assert await create_topics(kafka, prefix, partitions=2) == []
    assert await create_topics(kafka, prefix, partitions=4) == sorted(prefix + t for t in Topic)
    assert await create_topics(kafka, prefix, partitions=3) == []  # Kafka cannot remove partitions
    counts = await partition_counts(kafka, prefix)
    assert {counts[t.value] for t in Topic} == {4}
    assert {counts[t.dead_letter] for t in Topic} == {1}
