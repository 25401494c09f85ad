"""Where a message goes and when: opt-outs, quiet hours for SMS, retries; and what the office
reads of it in the delivery log. Pure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from shared.backoff import backoff
from shared.events import Channel


class State(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED_OPT_OUT = "suppressed_opt_out"
    DEFERRED_QUIET_HOURS = "deferred_quiet_hours"


WAITING = (State.QUEUED, State.DEFERRED_QUIET_HOURS)
FINAL = (State.SENT, State.FAILED, State.SUPPRESSED_OPT_OUT)


@dataclass(frozen=True)
class ContactCard:
    email: str | None
    phone: str | None
    email_opt_out: bool
    sms_opt_out: bool

    def address(self, channel: Channel) -> str | None:
        return self.email if channel == "email" else self.phone

    def refused(self, channel: Channel) -> bool:
        return self.email_opt_out if channel == "email" else self.sms_opt_out


@dataclass(frozen=True)
class QuietHours:
    """No SMS between `start` and `end` local time (the window may span midnight)."""

    start: time = time(20, 0)
    end: time = time(8, 0)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Rome"))

    def contains(self, now: datetime) -> bool:
        local = now.astimezone(self.zone).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_end(self, now: datetime) -> datetime:
        local = now.astimezone(self.zone)
        end = datetime.combine(local.date(), self.end, tzinfo=self.zone)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=self.zone)
        return end


@dataclass(frozen=True)
class Route:
    state: State
    not_before: datetime | None = None


def route(channel: Channel, contact: ContactCard | None, now: datetime, quiet: QuietHours) -> Route | None:
    """The first state of a message; None when the family has no address for that channel.

    An unknown contact (the contact book may lag behind) queues the message: the sender looks
    the address up again when it sends.
    """
    if contact is not None and contact.address(channel) is None:
        return None
    if contact is not None and contact.refused(channel):
        return Route(State.SUPPRESSED_OPT_OUT)
    if channel == "sms" and quiet.contains(now):
        return Route(State.DEFERRED_QUIET_HOURS, quiet.next_end(now))
    return Route(State.QUEUED)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 10
    base_seconds: float = 5.0
    cap_seconds: float = 600.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=backoff(attempts - 1, self.base_seconds, self.cap_seconds))

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


def family_name(last_names: list[str]) -> str:
    """`famiglia Rossi`: the surnames of the account's own children, nobody else's."""
    return " ".join(sorted({name.strip() for name in last_names if name.strip()}))


def mask(address: str | None) -> str | None:
    """`m***@example.it`, `***4567`: enough for the office to recognise, not to copy."""
    if not address:
        return None
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"***{address[-4:]}"


@dataclass(frozen=True)
class LoggedDelivery:
    """One row of a family's delivery log as the office reads it (the address masked)."""

    id: int
    rule: str
    cause_id: str
    event_id: uuid.UUID | None
    channel: str
    state: str
    attempts: int
    last_error: str | None
    recipient: str | None
    not_before: datetime | None
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime
