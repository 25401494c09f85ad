"""Topics on a real broker: created once, grown to the partitions wanted, never shrunk."""

import uuid

from aiokafka.admin import AIOKafkaAdminClient

from shared.messaging.kafka import create_topics
from shared.topics import Topic, all_topic_names
from testkit.kafka import eventually


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
