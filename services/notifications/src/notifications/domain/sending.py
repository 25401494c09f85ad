"""The sender's bookkeeping, at most once. Pure.

A due message becomes `sending` (attempts + 1) before it leaves; what the provider answers then
makes it `sent`, `failed`, or `queued` again for a later attempt, and only when the provider
certainly did not take it; `unreachable` or `suppressed_opt_out` when IO said the citizen is not
on the app or turned the service off there. Opt-outs and quiet hours are checked again at
sending time, so a refusal recorded after the message was queued still holds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notifications.domain.delivery import ContactCard, QuietHours, RetryPolicy, State
from notifications.domain.exceptions import DeliveryFailed, Unreachable
from notifications.domain.io import IoMessage
from shared.events import Channel

NO_ADDRESS = "nessun recapito per questo canale"


@dataclass(frozen=True)
class Due:
    """A waiting message whose time has come; `contact` is None while the contact book does not
    know the family yet (it may lag behind the event that caused the message)."""

    id: int
    account_id: uuid.UUID
    rule: str
    channel: Channel
    params: dict[str, Any]
    attempts: int
    last_error: str | None
    not_before: datetime | None
    contact: ContactCard | None


@dataclass(frozen=True)
class Transition:
    """A message's next state. `attempts`, `last_error` and `not_before` are its new values;
    `recipient`, `sending_at`, `sent_at` and `provider_id` change only when given."""

    id: int
    state: State
    attempts: int
    last_error: str | None
    not_before: datetime | None = None
    recipient: str | None = None
    sending_at: datetime | None = None
    sent_at: datetime | None = None
    provider_id: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """A message on its way: rendered, with the address it goes to (and, in the app IO, as IO
    takes it)."""

    id: int
    channel: Channel
    recipient: str
    attempts: int
    subject: str
    body: str
    io: IoMessage | None = None


def next_step(due: Due, now: datetime, quiet: QuietHours, retries: RetryPolicy) -> Transition:
    """What a due message becomes now: `sending` when it may go and its address is known."""
    card = due.contact
    if card is not None and card.refused(due.channel):
        return Transition(due.id, State.SUPPRESSED_OPT_OUT, due.attempts, due.last_error)
    if due.channel == "sms" and quiet.contains(now):
        return Transition(due.id, State.DEFERRED_QUIET_HOURS, due.attempts, due.last_error, quiet.next_end(now))
    attempts = due.attempts + 1
    address = card.address(due.channel) if card is not None else None
    if address is None:  # the contact book may lag behind the event: look again later
        return retry_or_fail(due.id, attempts, NO_ADDRESS, now, retries)
    return Transition(
        due.id, State.SENDING, attempts, due.last_error, due.not_before, recipient=address, sending_at=now
    )


def unrenderable(due: Due, error: Exception) -> Transition:
    """A template or its params are broken: retrying cannot help."""
    return Transition(due.id, State.FAILED, due.attempts, f"modello: {error!r}"[:500])


def after_send(
    message: Outgoing, result: BaseException | str | None, now: datetime, retries: RetryPolicy
) -> Transition:
    """What the provider's answer (its id, or the error raised) makes of a message that left."""
    if not isinstance(result, BaseException):
        return Transition(message.id, State.SENT, message.attempts, None, sent_at=now, provider_id=result)
    if isinstance(result, Unreachable):  # nothing left: recorded, never retried
        state = State.SUPPRESSED_OPT_OUT if result.refused else State.UNREACHABLE
        return Transition(message.id, state, message.attempts, result.reason)
    if isinstance(result, DeliveryFailed) and result.retryable:
        return retry_or_fail(message.id, message.attempts, result.reason, now, retries)
    reason = result.reason if isinstance(result, DeliveryFailed) else f"esito sconosciuto: {result!r}"
    return Transition(message.id, State.FAILED, message.attempts, reason[:500])


def retry_or_fail(delivery_id: int, attempts: int, reason: str, now: datetime, retries: RetryPolicy) -> Transition:
    if retries.exhausted(attempts):
        return Transition(delivery_id, State.FAILED, attempts, reason)
    return Transition(delivery_id, State.QUEUED, attempts, reason, now + retries.delay(attempts))
