"""One Kafka consumer for several of a service's rules: each polled batch split by topic.

A service's quiet rules share one consumer group (`<service>`) and one aiokafka consumer
subscribed to all their topics: one fetch loop and one heartbeat, whatever the number of rules
(an idle process wakes for one consumer, not one per rule; a busy rule keeps its own: see
`consumer.Rule`). Each rule keeps what it had with a consumer of its own: its records in their
partition order, its inbox key (`<service>.<rule name>`), one transaction per batch of its
records, its dead letters in `<topic>.dlq` with their reason, its poison records isolated
(`consumer.BatchConsumer`). The offsets of the whole poll are committed once every rule's
transaction committed.

The smaller batches go first: a payment polled together with many cancellations is not kept
waiting behind them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaMessage

from shared.messaging.consumer import BatchConsumer


class TopicDispatch:
    """Hands each topic's records of a poll to the rules of that topic, then acks the poll."""

    def __init__(self, consumers: Mapping[str, Sequence[BatchConsumer[Any]]]) -> None:
        self._consumers = consumers

    async def __call__(self, msg: KafkaMessage) -> None:
        records = msg.raw_message if isinstance(msg.raw_message, tuple) else (msg.raw_message,)
        for topic, batch in sorted(by_topic(records).items(), key=lambda item: len(item[1])):
            for consumer in self._consumers.get(topic, ()):
                await consumer.consume(batch)
        await msg.ack()  # after every rule's database commit


def by_topic(records: Sequence[ConsumerRecord[Any, Any]]) -> dict[str, list[ConsumerRecord[Any, Any]]]:
    """The records of each topic, each partition's in its order."""
    topics: dict[str, list[ConsumerRecord[Any, Any]]] = {}
    for record in records:
        topics.setdefault(record.topic, []).append(record)
    return topics
