"""Who a request from the office is for, and what it would reach before it is sent. Pure.

An audience is every family with a child actively enrolled this school year (`everyone`), a
school's, a class's of a school, and/or listed families. Counting it routes each family and
channel as the request would be routed (`delivery.route`): so "who will get it" and "who refused
it" (diniego) are what the sending will do, not an estimate.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from notifications.domain.delivery import ContactCard, QuietHours, State, route
from notifications.domain.exceptions import InvalidRequest
from shared.events import Channel, NotificationRequested


@dataclass(frozen=True)
class Audience:
    everyone: bool = False
    school_id: str | None = None
    class_id: str | None = None  # within `school_id`
    account_ids: tuple[uuid.UUID, ...] = ()

    def __post_init__(self) -> None:
        if self.class_id is not None and self.school_id is None:
            raise InvalidRequest("Una classe va indicata con la sua scuola.", "destinatari_non_validi")

    @classmethod
    def of(cls, request: NotificationRequested) -> Audience:
        return cls(request.everyone, request.school_id, request.class_id, tuple(request.account_ids))

    @property
    def enrolled(self) -> bool:
        """Whether the audience reaches into the enrolments (more than the listed families)."""
        return self.everyone or self.school_id is not None

    @property
    def empty(self) -> bool:
        return not self.enrolled and not self.account_ids


@dataclass(frozen=True)
class ChannelCount:
    """On one channel: the families it will reach, those who refused it, those with no address."""

    channel: Channel
    recipients: int = 0
    opted_out: int = 0
    no_address: int = 0


@dataclass(frozen=True)
class AudienceCount:
    families: int
    channels: list[ChannelCount] = field(default_factory=list)


def count(
    families: Sequence[uuid.UUID],
    cards: Mapping[uuid.UUID, ContactCard],
    channels: Collection[Channel],
    now: datetime,
    quiet: QuietHours,
) -> AudienceCount:
    """A family the contact book does not know yet counts as reached: its message is queued and
    the sender looks the address up again when it sends (as `route` does)."""
    counted = []
    for channel in channels:
        first = [route(channel, cards.get(family), now, quiet) for family in families]
        refused = sum(r is not None and r.state is State.SUPPRESSED_OPT_OUT for r in first)
        missing = sum(r is None for r in first)
        counted.append(ChannelCount(channel, len(first) - refused - missing, refused, missing))
    return AudienceCount(len(families), counted)
