"""ACA, pagoPA's Archivio Centralizzato Avvisi: what it must hold for each of our notices, and what
its answers mean for the change we sent.

pagoPA requires a creditor that runs its own station to register every notice there, so that the
node's Stand-In can take a payment with the registered amount while our station is down. One
call, `POST /paCreatePosition`, creates, updates or invalidates a position, keyed by the
creditor's fiscal code and the IUV: the body always carries the notice's whole present state,
and an amount of 0 invalidates it. So a resent body changes nothing more than the first, and a
newer change makes an older unsent one pointless (it is superseded, never sent after it).

The expiry is registered with the position, not sent after it: every body carries the due date
(`expirationDate`, the last second of the due day in Rome) and `switchToExpired`, so ACA expires
the position on its own at the moment our station starts answering `PAA_PAGAMENTO_SCADUTO`, even
while our service is down (which is when the Stand-In matters); a later due date is a change.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from payments.domain.creditor import Creditor
from payments.domain.local_time import ROME
from payments.domain.notice import Notice
from shared.backoff import backoff

LAST_SECOND = time(23, 59, 59)
ANSWER_LENGTH = 500  # what we keep of ACA's answer, for the office


class Change(enum.StrEnum):
    """What happened to the notice, that ACA must know."""

    CREATED = "created"
    CHANGED = "changed"
    CANCELLED = "cancelled"

    @property
    def invalidates(self) -> bool:
        return self is Change.CANCELLED


class Registration(enum.StrEnum):
    PENDING = "pending"  # not yet sent, or sent without a final answer: it will be (re)sent
    REGISTERED = "registered"
    FAILED = "failed"  # ACA refused it: retrying the same body cannot help (the office may, once fixed)
    SUPERSEDED = "superseded"  # a newer change of the notice was queued before this one left


def position(notice: Notice, creditor: Creditor, change: Change) -> dict[str, Any]:
    """The `paCreatePosition` body: the debtor is the account's holder, the amount in cents."""
    return {
        "paFiscalCode": creditor.fiscal_code,
        "entityType": "G" if notice.debtor_tax_code.isdigit() else "F",
        "entityFiscalCode": notice.debtor_tax_code,
        "entityFullName": notice.debtor_name,
        "iuv": notice.iuv,
        "nav": notice.notice_number,
        "amount": 0 if change.invalidates else notice.amount_cents,
        "description": notice.description,
        "expirationDate": expiration(notice.due_date),
        "iban": creditor.iban,
        "switchToExpired": True,
        "payStandIn": True,
    }


def expiration(due_date: date) -> str:
    """The last second of the due day in Rome, with its offset (the notice is payable all that day)."""
    return datetime.combine(due_date, LAST_SECOND, ROME).isoformat()


@dataclass(frozen=True)
class NoticeChange:
    """What ACA must learn about a notice: the change, and the position it leaves."""

    notice_number: str
    change: Change
    position: dict[str, Any]

    @classmethod
    def of(cls, notice: Notice, creditor: Creditor, change: Change) -> NoticeChange:
        return cls(notice.notice_number, change, position(notice, creditor, change))


@dataclass(frozen=True)
class QueuedChange:
    """A change waiting to be sent to ACA."""

    id: int
    notice_number: str
    change: Change
    position: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class AcaAnswer:
    """How a `paCreatePosition` went: `status` is None when ACA did not answer (unreachable, timed
    out); `sent` is False when our own check refused the body before it left."""

    status: int | None
    detail: str = ""
    retry_after: float | None = None
    sent: bool = True

    def describe(self) -> str:
        if not self.sent:
            said = f"non inviata, non conforme al documento OpenAPI: {self.detail}"
        elif self.status is None:
            said = f"nessuna risposta da ACA: {self.detail}"
        else:
            said = f"HTTP {self.status} {self.detail}".strip()
        return said[:ANSWER_LENGTH]

    @property
    def transient(self) -> bool:
        """ACA may take the same body later: it was away, overloaded or throttling us."""
        return self.sent and (self.status is None or self.status in (408, 425, 429) or self.status >= 500)


@dataclass(frozen=True)
class RetryPolicy:
    """Transient failures are retried with backoff, for as long as it takes: a change is never
    dropped because ACA was away."""

    base_seconds: float = 2.0
    cap_seconds: float = 600.0

    def delay(self, attempts: int, retry_after: float | None) -> timedelta:
        seconds = backoff(attempts - 1, self.base_seconds, self.cap_seconds)  # the first retry after `base`
        return timedelta(seconds=max(seconds, retry_after or 0.0))


@dataclass(frozen=True)
class Attempt:
    """What an attempt made of a change: its new state, and when to try again if it is pending."""

    state: Registration
    attempts: int
    answer: str
    at: datetime
    next_attempt_at: datetime | None = None


def after_attempt(change: QueuedChange, answer: AcaAnswer, now: datetime, retry: RetryPolicy) -> Attempt:
    """Registered on 200. An invalidation ACA refuses as 409 (the position is already invalid,
    expired or paid: a resend after a crash gets this) or 422 (there is no position: nothing to
    invalidate) is registered too, as nothing payable is left there. Transient failures wait and
    retry; any other refusal fails, with ACA's answer kept for the office."""
    attempts, said = change.attempts + 1, answer.describe()
    if answer.status == 200 or (change.change.invalidates and answer.status in (409, 422)):
        return Attempt(Registration.REGISTERED, attempts, said, now)
    if answer.transient:
        return Attempt(Registration.PENDING, attempts, said, now, now + retry.delay(attempts, answer.retry_after))
    return Attempt(Registration.FAILED, attempts, said, now)


@dataclass(frozen=True)
class AcaStatus:
    """Where a notice's registration in ACA stands: its latest change and how it went."""

    change: Change
    state: Registration
    attempts: int
    queued_at: datetime
    answer: str | None = None
    answered_at: datetime | None = None
    next_attempt_at: datetime | None = None


@dataclass(frozen=True)
class AcaBacklog:
    """What the office must watch: notices whose latest change is still pending, or failed."""

    pending: int
    failed: int
    oldest_pending_at: datetime | None
    items: list[tuple[str, AcaStatus]] = field(default_factory=list)


@dataclass(frozen=True)
class NoticeView:
    """A notice as the office reads it, with where its registration in ACA stands."""

    notice: Notice
    aca: AcaStatus | None
