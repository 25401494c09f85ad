"""Where a message goes and when: opt-outs, quiet hours for SMS, retries; and what the office
reads of it in the delivery log. Pure.

Three channels: email, SMS, and the app IO, whose address is the holder's fiscal code (IO knows
a citizen by it). Each has the family's own refusal (diniego); IO adds the citizen's choices in
the app, which only IO knows and the sender learns when it sends (`sender_allowed`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from shared.backoff import backoff
from shared.events import Channel
from shared.local_time import ROME


class State(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED_OPT_OUT = "suppressed_opt_out"
    DEFERRED_QUIET_HOURS = "deferred_quiet_hours"
    UNREACHABLE = "unreachable"  # the channel does not reach the person (not on IO): nothing sent


WAITING = (State.QUEUED, State.DEFERRED_QUIET_HOURS)
FINAL = (State.SENT, State.FAILED, State.SUPPRESSED_OPT_OUT, State.UNREACHABLE)


@dataclass(frozen=True)
class ContactCard:
    """A family's addresses and refusals; `holder_tax_code` is its address in the app IO (None
    when the contact book learnt it from a `contacts-changed` v1, which had none)."""

    email: str | None
    phone: str | None
    email_opt_out: bool
    sms_opt_out: bool
    holder_tax_code: str | None = None
    io_opt_out: bool = False

    def address(self, channel: Channel) -> str | None:
        return {"email": self.email, "sms": self.phone, "io": self.holder_tax_code}[channel]

    def refused(self, channel: Channel) -> bool:
        return {"email": self.email_opt_out, "sms": self.sms_opt_out, "io": self.io_opt_out}[channel]


@dataclass(frozen=True)
class QuietHours:
    """No SMS between `start` and `end` local time (the window may span midnight)."""

    start: time = time(20, 0)
    end: time = time(8, 0)
    zone: ZoneInfo = ROME

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
