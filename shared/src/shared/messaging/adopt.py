"""A service's consumer group takes over the positions of the groups its rules had before.

Each rule used to consume in a group of its own, `<service>.<rule>`; a service's rules now share
the group `<service>` (`dispatch`). A group that never committed starts from each topic's
beginning: correct (the inbox keys are the same, so nothing is applied twice), but a re-read of
the topics' whole retention, with the new events waiting behind it. So, before the service's
consumer joins, a group that has committed nothing takes the offsets its rules' old groups had
committed on their topics. During a rolling deploy the old processes go on in the old groups:
an event either applies is claimed in the same inbox, so it is applied once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

log = logging.getLogger(__name__)


async def adopt_offsets(bootstrap_servers: str, group: str, old_groups: Mapping[str, str]) -> dict[TopicPartition, int]:
    """`old_groups`: each old group -> the topic it consumed. Returns the offsets adopted (none
    when `group` has committed before, or the old groups had not)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id=f"{group}-adopt")
    await admin.start()
    try:
        if await _committed(admin, group):
            return {}
        offsets: dict[TopicPartition, int] = {}
        for old_group, topic in old_groups.items():
            offsets |= {tp: n for tp, n in (await _committed(admin, old_group)).items() if tp.topic == topic}
    finally:
        await admin.close()
    if offsets:
        await commit_offsets(bootstrap_servers, group, offsets)
        log.info("consumer group took over its rules' old offsets", extra={"group": group, "old": sorted(old_groups)})
    return offsets


async def _committed(admin: AIOKafkaAdminClient, group: str) -> dict[TopicPartition, int]:
    found = await admin.list_consumer_group_offsets(group)
    return {tp: meta.offset for tp, meta in found.items() if meta.offset >= 0}


async def commit_offsets(bootstrap_servers: str, group: str, offsets: dict[TopicPartition, int]) -> None:
    """Commits outside any generation: Kafka accepts it while the group has no member."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit(offsets)
    finally:
        await consumer.stop()
