"""What the gateway's reads return: typed rows of the read side (`ports.AccountViews`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from accounts.domain.ledger import Cause
from accounts.domain.statements import Period
from accounts.domain.users import User


@dataclass(frozen=True)
class StudentLine:
    """A student with one of their enrolments (or none yet)."""

    student_id: uuid.UUID
    first_name: str
    last_name: str
    school_year: str | None
    school_id: str | None
    class_id: str | None
    active: bool | None
    tariff_band: str | None


@dataclass(frozen=True)
class EnrolledChild:
    student_id: uuid.UUID
    first_name: str
    school_id: str
    class_id: str


@dataclass(frozen=True)
class ChildEnrolment:
    """A child with their enrolment of a school year, as "Figli" shows it."""

    student_id: uuid.UUID
    first_name: str
    last_name: str
    school_id: str
    class_id: str
    diet: str
    tariff_band: str | None  # None: the full tariff
    tariff_name: str | None


@dataclass(frozen=True)
class AccountSummary:
    account_id: uuid.UUID
    holder_tax_code: str
    holder_first_name: str
    holder_last_name: str
    email: str | None
    phone: str | None
    email_opt_out: bool
    sms_opt_out: bool
    io_opt_out: bool
    balance_cents: int | None  # None: a debt, hidden from a guardian who is not the holder
    students: list[StudentLine]  # by name, then school year


Found = TypeVar("Found")


@dataclass(frozen=True)
class Asked(Generic[Found]):
    """A read made in the statement that checks the session: the session's user, and what they
    asked for (None: there is none they may see)."""

    user: User
    found: Found | None


@dataclass(frozen=True)
class MovementFilter:
    cause: Cause | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class MovementLine:
    entry_id: uuid.UUID
    cause: str
    amount_cents: int
    balance_after_cents: int | None  # None: hidden from a guardian who is not the holder
    description: str
    booked_at: datetime


@dataclass(frozen=True)
class MovementPage:
    total: int  # how many movements match the filter
    lines: list[MovementLine]  # newest first


@dataclass(frozen=True)
class FamilyFound:
    account_id: uuid.UUID
    holder_first_name: str
    holder_last_name: str
    holder_tax_code: str
    balance_cents: int


DebtorOrder = Literal["amount", "since"]


@dataclass(frozen=True)
class Debtor:
    account_id: uuid.UUID
    holder_first_name: str
    holder_last_name: str
    balance_cents: int
    in_debt_since: datetime | None  # the last movement that took the balance below zero


@dataclass(frozen=True)
class RefundToPay:
    refund_id: uuid.UUID
    account_id: uuid.UUID
    amount_cents: int
    iban: str | None
    holder_first_name: str
    holder_last_name: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class MealsPaid:
    student_id: uuid.UUID | None
    meals: int  # charged less reversed
    cents: int


@dataclass(frozen=True)
class Statement:
    """The canteen expenses of a period for the tax return: meals paid per child, the family's
    traceable payments (pagoPA) and each child's deductible share (`domain.statements`)."""

    account: AccountSummary
    period: Period
    meals: list[MealsPaid]  # one child's, when the statement is for one
    traceable_payments_cents: int
    deductible: dict[uuid.UUID | None, int]

    def student(self, student_id: uuid.UUID | None) -> StudentLine | None:
        """The student's line of their latest school year."""
        lines = [s for s in self.account.students if s.student_id == student_id]
        return lines[-1] if lines else None


@dataclass(frozen=True)
class Unbalanced:
    account_id: uuid.UUID
    balance_cents: int
    movements_cents: int


@dataclass(frozen=True)
class LedgerCheck:
    accounts_checked: int
    unbalanced: list[Unbalanced]


@dataclass(frozen=True)
class StudentFound:
    """A pupil found by name or fiscal code, with the family it belongs to and its latest enrolment."""

    student_id: uuid.UUID
    account_id: uuid.UUID
    first_name: str
    last_name: str
    tax_code: str
    school_id: str | None
    class_id: str | None
    holder_first_name: str
    holder_last_name: str
