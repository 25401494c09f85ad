"""The office's audit log: who did what, when, to what, with what before and after, and why.

Every state-changing office action appends one entry in the transaction of the action itself
(an action forwarded to another service: once that service answered). Entries are never changed
or deleted (the table refuses it). Pure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from accounts.domain.users import Principal


class Action(StrEnum):
    FAMILY_REGISTERED = "family_registered"
    FAMILY_EDITED = "family_edited"
    CONTACTS_CHANGED = "contacts_changed"
    STUDENT_ADDED = "student_added"
    ENROLMENT_CHANGED = "enrolment_changed"
    GUARDIAN_ADDED = "guardian_added"
    GUARDIAN_REMOVED = "guardian_removed"
    PAPER_VOUCHERS = "paper_vouchers"
    ADJUSTMENT_BOOKED = "adjustment_booked"
    ADJUSTMENT_REQUESTED = "adjustment_requested"
    ADJUSTMENT_APPROVED = "adjustment_approved"
    ADJUSTMENT_REJECTED = "adjustment_rejected"
    TARIFF_SET = "tariff_set"
    SIBLING_DISCOUNT_SET = "sibling_discount_set"
    STAFF_ADDED = "staff_added"
    STAFF_CHANGED = "staff_changed"
    PASSWORD_RESET = "password_reset"
    BROADCAST = "broadcast"
    SCHOOL_YEAR_CLOSED = "school_year_closed"
    CLOSURE_DECLARED = "closure_declared"
    CLOSURE_REMOVED = "closure_removed"
    HOLIDAYS_DECLARED = "holidays_declared"
    HOLIDAY_REMOVED = "holiday_removed"
    CALENDAR_SET = "calendar_set"
    TERMINAL_CHANGED = "terminal_changed"


Change = dict[str, Any] | None  # a JSON object: the state before or after


@dataclass(frozen=True)
class Actor:
    """The person (or the office's automation) as the log names them, even if renamed later."""

    user_id: uuid.UUID | None
    name: str
    role: str

    @classmethod
    def of(cls, who: Principal) -> Actor:
        return cls(who.user_id, who.name or "Automazione", who.role.value)


@dataclass(frozen=True)
class AuditEntry:
    actor: Actor
    action: Action
    subject: str  # what was acted on: a student, a band, a user, a school...
    account_id: uuid.UUID | None = None  # the family, when the action concerns one
    before: Change = None
    after: Change = None
    reason: str | None = None


def entry(
    who: Principal,
    action: Action,
    subject: object,
    *,
    account_id: uuid.UUID | None = None,
    before: Change = None,
    after: Change = None,
    reason: str | None = None,
) -> AuditEntry:
    return AuditEntry(Actor.of(who), action, str(subject), account_id, before, after, reason)


@dataclass(frozen=True)
class AuditFilter:
    account_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    action: Action | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class LoggedEntry:
    """An entry as read back, with its number and time."""

    seq: int
    at: datetime
    entry: AuditEntry
