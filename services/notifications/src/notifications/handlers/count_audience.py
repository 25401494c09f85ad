"""For the office, before it sends a message: who it will reach and who refused it, per channel
(diniego, or no address on file), and the message as it will read (the family's surname is each
family's own in the real thing). Reads the projections; sends and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from notifications.domain.audience import Audience, AudienceCount, count
from notifications.domain.policy import Policy
from notifications.domain.rules import Rule
from notifications.handlers.ports import NotificationsUnitOfWork, Renderer
from shared.events import Channel
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class Preview:
    channel: Channel
    subject: str
    body: str


@dataclass(frozen=True)
class Foreseen:
    audience: AudienceCount
    previews: list[Preview]


async def count_audience(
    uow: NotificationsUnitOfWork, audience: Audience, channels: list[Channel], policy: Policy, now: datetime
) -> AudienceCount:
    """On the channels this service sends on, in the order asked."""
    year = str(SchoolYear.of(now.astimezone(policy.zone).date()))
    async with uow:
        enrolled = await uow.enrolments.families_in(audience, year)
        families = list(dict.fromkeys([*audience.account_ids, *enrolled]))
        cards = await uow.contacts.cards(families)
    sent_on = [c for c in channels if c in policy.channels]
    return count(families, cards, sent_on, now, policy.quiet_hours)


def preview(renderer: Renderer, channels: list[Channel], subject: str, text: str) -> list[Preview]:
    """The broadcast as each channel renders it, greeting a family without naming one."""
    params = {"subject": subject, "text": text}
    return [Preview(c, *renderer.render(Rule.BROADCAST.value, c, "", params)) for c in channels]
