"""Kafka topic names, in one place, with their partition counts and dead-letter twins."""

from __future__ import annotations

from enum import StrEnum


class Topic(StrEnum):
    STUDENT_ENROLLED = "student-enrolled"
    CONTACTS_CHANGED = "contacts-changed"
    MEAL_CONSUMED = "meal-consumed"
    MEAL_CANCELLED = "meal-cancelled"
    PAYMENT_RECEIVED = "payment-received"
    BALANCE_CHANGED = "balance-changed"
    NOTIFICATION_REQUESTED = "notification-requested"

    @property
    def dead_letter(self) -> str:
        return self.value + DEAD_LETTER_SUFFIX


DEAD_LETTER_SUFFIX = ".dlq"


# Every topic is keyed by account id except notification-requested (keyed by request id): the
# partition count caps the consumer replicas of one group (six partitions: six replicas). To grow
# it, raise the figure here (or pass `--partitions` to deploy/local/create_topics.py) and run
# `create_topics` again: it adds partitions to the existing topics (Kafka never removes any).
# New events of an account may then land on another partition than its older ones, so grow when
# the consumers have caught up (no lag), not under load.
PARTITIONS: dict[Topic, int] = {topic: 6 for topic in Topic}
DEAD_LETTER_PARTITIONS = 1
# A dead letter waits until its cause is fixed and someone re-drives it (`python -m shared.dlq`):
# a dead-lettered payment must not vanish after Kafka's default week, so the `.dlq` topics keep
# their records forever.
DEAD_LETTER_CONFIG = {"retention.ms": "-1"}


def all_topic_names(prefix: str = "", partitions: int | None = None) -> dict[str, int]:
    """Every topic and its partition count (`partitions`, when given, for every topic but the
    dead-letter twins, which are included)."""
    names = {prefix + topic: partitions or PARTITIONS[topic] for topic in Topic}
    names |= {prefix + topic.dead_letter: DEAD_LETTER_PARTITIONS for topic in Topic}
    return names


def min_insync_replicas(replication_factor: int) -> int:
    """The replicas that must have a record before an `acks=all` producer is told it is written:
    all but one, so that a broker may be down without stopping writes (3 -> 2; one node: 1)."""
    return max(1, replication_factor - 1)


def is_dead_letter(name: str) -> bool:
    return name.endswith(DEAD_LETTER_SUFFIX)
