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
        return f"{self.value}.dlq"


# Every topic is keyed by account id except notification-requested (keyed by request id):
# six partitions give room for six consumer replicas per group.
PARTITIONS: dict[Topic, int] = {topic: 6 for topic in Topic}
DEAD_LETTER_PARTITIONS = 1


def all_topic_names(prefix: str = "") -> dict[str, int]:
    """Every topic and its partition count, dead-letter twins included."""
    names = {prefix + topic: PARTITIONS[topic] for topic in Topic}
    names |= {prefix + topic.dead_letter: DEAD_LETTER_PARTITIONS for topic in Topic}
    return names
