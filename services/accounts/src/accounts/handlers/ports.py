"""What the accounts handlers need from the outside world: the database behind the unit of work,
and the other services behind their gateways. The adapters implement these Protocols."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Protocol

from accounts.domain.adjustments import AdjustmentRequest, RequestState
from accounts.domain.assistance import ConversationLine, Message
from accounts.domain.audit import Actor, AuditEntry, AuditFilter, LoggedEntry
from accounts.domain.communications import Communication
from accounts.domain.dashboard import Backlog, LedgerDay, TopUpDay
from accounts.domain.desk import MonthTotals, SchoolCalendar
from accounts.domain.family import Enrolment, Family, FamilyDetails, Holder, Student, StudentIdentity
from accounts.domain.identity import LoginMethod
from accounts.domain.ledger import Movement, Posted
from accounts.domain.notices import FamilyNotice
from accounts.domain.school_days import Attended, SchoolMonth
from accounts.domain.tariffs import EnrolmentChange, PriceList, TariffBook
from accounts.domain.terminals import PairingCode, TerminalsOverview
from accounts.domain.users import Role, SessionCheck, User
from accounts.domain.vouchers import VoucherForm
from accounts.domain.year_end import Candidate, ClosingJob, Refund, YearEnd
from accounts.handlers.read_models import (
    AccountSummary,
    Asked,
    ChildEnrolment,
    Debtor,
    DebtorOrder,
    EnrolledChild,
    FamilyFound,
    MealsPaid,
    MovementFilter,
    MovementLine,
    MovementPage,
    RefundToPay,
    StudentFound,
    Unbalanced,
)
from shared.events import MealCancelled
from shared.school_year import SchoolYear
from shared.unit_of_work import UnitOfWork


class Ledger(Protocol):
    async def lock(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        """The accounts' balances, locked until the transaction ends (in id order: two
        transactions on the same accounts queue, never deadlock). Unknown accounts are absent."""

    async def booked(self, movements: Sequence[Movement]) -> set[tuple[str, str]]:
        """The `(source, source_id)` of these movements that the ledger already holds."""

    async def movements_of(self, source: str, source_ids: Collection[str]) -> list[Movement]:
        """The booked movements of one source, among these source ids."""

    async def append(self, posted: Sequence[Posted]) -> None:
        """Inserts the entries and sets each touched account's balance to its last entry's."""


class Cancellations(Protocol):
    async def record(self, cancelled: Sequence[MealCancelled]) -> None:
        """Remembers the cancelled meals (once each), charged or not yet."""

    async def among(self, meal_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        """The meals of these that were cancelled."""


class Tariffs(Protocol):
    async def has_band(self, band_id: str, school_year: str) -> bool: ...

    async def bands(self, year: SchoolYear) -> dict[str, str]:
        """The year's bands: id -> name."""

    async def set_tariff(self, school_year: str, band_id: str, name: str, prices: PriceList) -> None:
        """Creates or renames the band; adds its prices, or replaces those from the same day."""

    async def set_discounts(self, year: SchoolYear, discounts: PriceList) -> None:
        """Adds sibling discounts (percent) valid from their day, or replaces those of the same day."""

    async def enrolment_history(
        self, account_ids: Collection[uuid.UUID], years: Collection[SchoolYear]
    ) -> list[EnrolmentChange]:
        """Every enrolment change of these families' children in these years."""

    async def book(
        self, years: Collection[SchoolYear], lock: Literal["share", "update"] | None = None, usage: bool = False
    ) -> TariffBook:
        """The prices and discounts of these years; with `usage`, which of their rows priced a
        charged meal. `lock`: the rows read stay as they are until the transaction ends
        ("share": a batch of meals being priced; "update": a tariff being changed, which waits
        for those, then sees their meals)."""


class Families(Protocol):
    async def add(self, family: Family) -> None:
        """The account and its students; `DuplicateHolder` or `DuplicateStudent` for a tax code
        already registered."""

    async def save_enrolment(self, student_id: uuid.UUID, enrolment: Enrolment, effective_from: date) -> None:
        """Creates or replaces the student's enrolment for its school year, and records the
        change as valid from `effective_from` (what prices a meal of that day)."""

    async def student_of(self, account_id: uuid.UUID, student_id: uuid.UUID) -> StudentIdentity:
        """The student, if a student of this account; else `StudentNotFound`."""

    async def holder(self, account_id: uuid.UUID) -> Holder:
        """The account's holder; `AccountNotFound` if there is no such account."""

    async def held_by(self, tax_code: str) -> uuid.UUID | None:
        """The account whose holder has this fiscal code, if any."""

    async def details(self, account_id: uuid.UUID) -> FamilyDetails:
        """The holder, contacts and IBAN; `AccountNotFound` if there is no such account."""

    async def edit(self, account_id: uuid.UUID, details: FamilyDetails) -> None: ...

    async def add_students(self, account_id: uuid.UUID, students: Sequence[Student]) -> None:
        """`DuplicateStudent` for a fiscal code already registered."""

    async def enrolment_of(self, student_id: uuid.UUID, school_year: str) -> Enrolment | None: ...


class YearClosings(Protocol):
    async def candidates(
        self, year: SchoolYear, after: uuid.UUID | None = None, limit: int | None = None
    ) -> list[Candidate]:
        """The accounts with a child enrolled in `year`, and those refunded at the previous year's
        closing whose balance moved since (a late receipt), that `year`'s closing has not closed
        yet: in id order, from after `after`."""

    async def count_candidates(self, year: SchoolYear) -> int: ...

    async def start(self, job: ClosingJob) -> bool:
        """Records the job, or starts the year's finished one again as `job`; False if the
        year's job is running (started by someone else meanwhile)."""

    async def job(self, year: SchoolYear) -> ClosingJob | None: ...

    async def next_job(self) -> ClosingJob | None:
        """A running job, locked until the transaction ends (one not locked by another process)."""

    async def advance(self, year: SchoolYear, closed: int, last_account_id: uuid.UUID) -> None: ...

    async def finish(self, year: SchoolYear) -> None:
        """The job is over: its total becomes what it closed."""

    async def ends(self, year: SchoolYear) -> list[tuple[YearEnd, str | None]]:
        """What the closing of `year` recorded for every account, with the account's IBAN."""

    async def claim(self, year: SchoolYear, closings: Sequence[YearEnd]) -> set[uuid.UUID]:
        """Records the closings of the accounts not closed yet for `year`; returns those accounts."""

    async def is_closed(self, account_id: uuid.UUID, year: SchoolYear) -> bool: ...

    async def add_refunds(self, refunds: Sequence[Refund]) -> None:
        """Refunds for the office to pay (by bank transfer)."""


@dataclass(frozen=True)
class StoredResponse:
    request_digest: str
    response: dict[str, Any]


class IdempotencyKeys(Protocol):
    async def claim(self, scope: str, key: str, request_digest: str) -> StoredResponse | None:
        """Claims the key; None if it was new, else what its first request stored. A concurrent
        claim of the same key waits until the first transaction ends."""

    async def remember(self, scope: str, key: str, response: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class PasswordUser:
    user: User
    password_hash: str


class Users(Protocol):
    async def add(self, user: User, password_hash: str | None = None) -> None:
        """`DuplicateUser` for an email or fiscal code already registered."""

    async def of_tax_code(self, tax_code: str) -> User | None:
        """The user with this fiscal code, active or not."""

    async def add_holder(self, account_id: uuid.UUID, tax_code: str) -> User:
        """The holder of the account as a user of it, made at their first login; a concurrent
        first login gets the same user."""

    async def with_password(self, email: str) -> PasswordUser | None:
        """The active user with this email and a password (staff)."""

    async def active(self, user_id: uuid.UUID) -> User | None: ...

    async def rename(self, user_id: uuid.UUID, display_name: str | None) -> None: ...

    async def get(self, user_id: uuid.UUID) -> User | None:
        """Active or not."""

    async def staff(self) -> list[User]:
        """Every staff member, active or not, by name."""

    async def staff_matching(self, query: str, limit: int, offset: int) -> tuple[int, list[User]]:
        """One page of the staff members, by name, whose name or fiscal code contains `query`
        (every one when empty), and how many match."""

    async def guardians(self, account_id: uuid.UUID) -> list[User]:
        """The family's registered parents (the holder once they logged in), active ones."""

    async def change(self, user_id: uuid.UUID, role: Role, active: bool) -> None: ...

    async def reactivate(self, user: User) -> bool:
        """Makes an inactive user of the same fiscal code and family active again; False if none."""

    async def staff_with_email(self, email: str) -> User | None:
        """The active staff member with this email."""

    async def set_password(self, user_id: uuid.UUID, password_hash: str) -> None: ...


class Sessions(Protocol):
    """Sessions by the digest of their token (the token itself is never stored)."""

    async def open(self, digest: str, user_id: uuid.UUID, expires_at: datetime, method: LoginMethod) -> None: ...

    async def live_user(self, check: SessionCheck) -> User | None:
        """The user of the session, if the session is live (`SessionCheck`) and the user active;
        `check.touch` records `check.now` as its last activity."""

    async def end(self, digest: str, now: datetime) -> None: ...

    async def end_all(self, user_id: uuid.UUID, now: datetime) -> None:
        """Every live session of the user (removed, password changed)."""

    async def purge(self, ended_before: datetime) -> int:
        """Removes the sessions expired or ended before the moment; how many."""


class PasswordResets(Protocol):
    """Staff password resets by the digest of their token (the token itself is never stored)."""

    async def add(self, digest: str, user_id: uuid.UUID, expires_at: datetime) -> None: ...

    async def redeem(self, digest: str, now: datetime) -> uuid.UUID | None:
        """The user of a live, unused reset, now used; None if there is none."""

    async def purge(self, expired_before: datetime) -> int:
        """Removes the resets that expired before the moment (used or not); how many."""


class LoginFailures(Protocol):
    async def lock(self, subjects: Collection[str]) -> None:
        """Until the transaction ends, concurrent attempts on the same subjects wait here: the
        count they then read includes every attempt that went before (a throttle that holds)."""

    async def counts(self, subjects: Collection[str], since: datetime) -> dict[str, int]:
        """Failed password logins per subject (an email, a client address) since `since`."""

    async def record(self, subjects: Collection[str]) -> None: ...

    async def forget(self, subject: str) -> None: ...

    async def purge(self, failed_before: datetime) -> int:
        """Removes the failures recorded before the moment; how many."""


class Passwords(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password: str, stored_hash: str | None) -> bool:
        """False without a stored hash, but only after as long as a real check takes."""


class AccountViews(Protocol):
    """The read side."""

    async def account(self, account_id: uuid.UUID) -> AccountSummary:
        """`AccountNotFound` if there is no such account."""

    async def movements(self, account_id: uuid.UUID, where: MovementFilter, limit: int, offset: int) -> MovementPage:
        """The estratto conto, newest first; `AccountNotFound` if there is no such account."""

    async def account_asked(self, check: SessionCheck, account_id: uuid.UUID | None) -> Asked[AccountSummary] | None:
        """In one statement, the session's user (None: the session is not live, as
        `Sessions.live_user` says, and touched as it does) and the account: `account_id`, or the
        user's own; found only if the user may see it (`Principal.may_see`)."""

    async def movements_asked(
        self, check: SessionCheck, account_id: uuid.UUID, where: MovementFilter, limit: int, offset: int
    ) -> Asked[MovementPage] | None:
        """`movements` and the session in one statement, as `account_asked`; found only if the user
        may see the account and its money (`Principal.may_see`, `Principal.sees_debts`)."""

    async def search_families(self, text: str, limit: int) -> list[FamilyFound]:
        """By holder's or child's name or codice fiscale (case-insensitive, partial)."""

    async def search_students(self, text: str, limit: int) -> list[StudentFound]:
        """Pupils by name or codice fiscale (case-insensitive, partial), with their family."""

    async def pupil(self, student_id: uuid.UUID) -> StudentFound:
        """`StudentNotFound` if there is no such pupil."""

    async def debtors(
        self, order: DebtorOrder = "amount", limit: int = 1000, offset: int = 0, holder: str = ""
    ) -> tuple[int, list[Debtor]]:
        """How many accounts are in debt, and a page of them: the deepest debt first (`amount`),
        or the longest in debt first (`since`: the last movement that took the balance below zero);
        `holder`: only those whose holder's first or last name contains it."""

    async def refunds_to_pay(self) -> list[RefundToPay]:
        """Oldest first."""

    async def meals_paid(self, account_id: uuid.UUID, first: date, after: date) -> list[MealsPaid]:
        """Per student, booked from `first` to the day before `after` (Rome time)."""

    async def traceable_payments(self, account_id: uuid.UUID, first: date, after: date) -> int:
        """pagoPA top-ups booked from `first` to the day before `after` (Rome time), in cents."""

    async def unbalanced(self) -> list[Unbalanced]:
        """Accounts whose balance is not the sum of their movements (the ledger's invariant)."""

    async def account_count(self) -> int: ...


class OfficeViews(Protocol):
    """What the office's dashboard reads from accounts' own database."""

    async def ledger_days(self, first: date, last: date) -> list[LedgerDay]:
        """Per Rome day in [first, last], the credit and the debt of all accounts at its end."""

    async def outbox(self) -> Backlog:
        """Accounts' own outbox backlog."""


class DeadLetters(Protocol):
    async def waiting(self) -> dict[str, int]:
        """Per original topic, the records kept in its `.dlq` topic (raises if Kafka does not answer)."""


class DeskViews(Protocol):
    """What the Scrivania reads besides the account and its movements."""

    async def ledger_position(self, account_id: uuid.UUID) -> int:
        """The account's latest ledger sequence number (0 without movements): it moves with the money."""

    async def month_totals(self, account_id: uuid.UUID, since: date) -> tuple[int, dict[date, MonthTotals]]:
        """The balance before `since` (Rome time), and per month from then: credits, debits, closing balance."""

    async def children_enrolled(self, account_id: uuid.UUID, year: SchoolYear) -> list[EnrolledChild]:
        """The account's children with an active enrolment in `year`, in the order they were registered."""


class PortalViews(Protocol):
    """What the family's pages read besides the account, its movements and the Scrivania."""

    async def children(self, account_id: uuid.UUID, year: SchoolYear) -> list[ChildEnrolment]:
        """The account's children with an enrolment in `year` (withdrawn ones too), in the order registered."""

    async def credit_of(self, account_id: uuid.UUID, description: str) -> MovementLine | None:
        """The account's top-up booked with this description (`top_ups.credit_description`), if any."""


class Conversations(Protocol):
    """Assistance: the messages between families and the office."""

    async def add(self, message: Message, author_user_id: uuid.UUID | None) -> None: ...

    async def of_account(self, account_id: uuid.UUID) -> list[Message]:
        """The family's conversation, oldest first."""

    async def lines(self) -> list[ConversationLine]:
        """Every family's conversation, in no particular order (`assistance.in_order` sorts them)."""


class AuditLog(Protocol):
    async def record(self, entry: AuditEntry) -> None:
        """Appends; nothing ever changes or removes an entry."""

    async def entries(self, where: AuditFilter, limit: int, offset: int) -> tuple[int, list[LoggedEntry]]:
        """How many match, and a page of them, newest first."""


class PendingAdjustments(Protocol):
    async def add(self, request: AdjustmentRequest) -> None: ...

    async def lock(self, request_id: uuid.UUID) -> AdjustmentRequest | None:
        """The request, locked until the transaction ends (two approvals queue)."""

    async def decide(
        self, request_id: uuid.UUID, state: RequestState, by: Actor, entry_id: uuid.UUID | None
    ) -> None: ...

    async def waiting(self) -> list[AdjustmentRequest]:
        """Pending requests, oldest first."""

    async def of_account(self, account_id: uuid.UUID) -> list[AdjustmentRequest]:
        """The family's requests, newest first."""


class VoucherForms(Protocol):
    async def by_number(self, form_number: str) -> VoucherForm | None: ...

    async def add(self, form: VoucherForm) -> None:
        """`FormAlreadyRecorded` if another transaction recorded the same number first."""


class AccountsUnitOfWork(UnitOfWork, Protocol):
    @property
    def ledger(self) -> Ledger: ...

    @property
    def cancellations(self) -> Cancellations: ...

    @property
    def tariffs(self) -> Tariffs: ...

    @property
    def families(self) -> Families: ...

    @property
    def year_closings(self) -> YearClosings: ...

    @property
    def idempotency(self) -> IdempotencyKeys: ...

    @property
    def users(self) -> Users: ...

    @property
    def sessions(self) -> Sessions: ...

    @property
    def login_failures(self) -> LoginFailures: ...

    @property
    def password_resets(self) -> PasswordResets: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def pending_adjustments(self) -> PendingAdjustments: ...

    @property
    def voucher_forms(self) -> VoucherForms: ...

    @property
    def views(self) -> AccountViews: ...

    @property
    def desk(self) -> DeskViews: ...

    @property
    def portal(self) -> PortalViews: ...

    @property
    def conversations(self) -> Conversations: ...

    @property
    def office_views(self) -> OfficeViews: ...


JsonObject = dict[str, Any]  # another service's answer, passed on as it came: that service owns its shape


class AttendanceGateway(Protocol):
    async def month_of(self, student_id: uuid.UUID, month: str) -> JsonObject:
        """A child's attendance in a month (`2026-11`), with the corrections and who made them."""

    async def announce_absence(self, student_id: uuid.UUID, day: date) -> JsonObject:
        """After the school's cut-off, attendance refuses it (409 `troppo_tardi`)."""

    async def school_calendar(self, school_id: str, months: Sequence[date]) -> SchoolCalendar | None:
        """The school's service days and closures in these months (each the first of its month);
        None while attendance does not answer."""

    async def withdraw_absence(self, student_id: uuid.UUID, day: date) -> JsonObject:
        """The parent's announcement withdrawn; after the school's cut-off, 409 `troppo_tardi`."""

    async def attended(self, student_id: uuid.UUID, month: date) -> list[Attended]:
        """What attendance recorded for the child in the month of `month`."""

    async def school_month(self, school_id: str, month: date) -> SchoolMonth:
        """The school's service weekdays, cut-off and closures in the month of `month`."""

    async def declare_closure(self, school_id: str, closure: JsonObject) -> JsonObject:
        """A holiday, closure, strike or trip of the school or a class (the day's meals are cancelled)."""

    async def dashboard(self, day: date) -> JsonObject:
        """The office's overview of a day: per school classes, close, meals, absences, days never
        closed; the meals served per day of the month."""

    async def outbox(self) -> Backlog: ...


class PaymentsGateway(Protocol):
    async def create_notice(self, account_id: uuid.UUID, amount_cents: int, debtor: Holder) -> JsonObject:
        """A new pagoPA notice; the answer has its `notice_number`."""

    async def checkout_url(self, notice_number: str) -> str:
        """The pagoPA Checkout page where the notice can be paid now."""

    async def notice_account(self, notice_number: str) -> uuid.UUID | None: ...

    async def notice_pdf(self, notice_number: str) -> bytes: ...

    async def notice(self, notice_number: str) -> FamilyNotice:
        """The notice as it stands today."""

    async def notices_of(self, account_id: uuid.UUID) -> list[FamilyNotice]:
        """The family's notices, newest first, as they stand today."""

    async def cancel_notice(self, notice_number: str) -> FamilyNotice:
        """Cancelled (it reads `cancelling` until pagoPA's ACA confirms); 409 if it cannot be."""

    async def anomalies(self, unresolved_only: bool) -> list[JsonObject]:
        """Receipt anomalies, unresolved first."""

    async def resolve_anomaly(self, receipt_id: str, outcome: str, reason: str) -> JsonObject:
        """Resolved once (409 the second time); a credit reaches accounts as a payment-received."""

    async def top_ups(self, first: date, last: date) -> list[TopUpDay]:
        """Every day of [first, last]: the receipts paid online and at a counter."""

    async def outbox(self) -> Backlog: ...


class NotificationsGateway(Protocol):
    async def deliveries(self, account_id: uuid.UUID) -> list[JsonObject]:
        """The family's messages: cause, channel (email, sms, io), state (sent, failed,
        suppressed, deferred, unreachable: not on IO)."""

    async def outbox(self) -> Backlog: ...

    async def reminders(self, account_ids: Collection[uuid.UUID]) -> list[JsonObject]:
        """The reminders (solleciti) sent to these families, newest first: as `deliveries`."""

    async def foresee(self, message: Communication) -> JsonObject:
        """Who the message will reach and who refused it, per channel (`audience`), and the
        message as each channel renders it (`previews`)."""

    async def outcomes(self, request_id: uuid.UUID, rule: str) -> list[JsonObject]:
        """What became of a request's messages: `channel`, `state`, `count`."""


class TerminalsGateway(Protocol):
    """Attendance's school terminals, which the office manages."""

    async def overview(self) -> TerminalsOverview: ...

    async def register(self, school_id: str, label: str) -> PairingCode: ...

    async def rotate(self, terminal_id: uuid.UUID) -> PairingCode:
        """A new credential and pairing code; the old credential (the paired tablet) stops working."""

    async def revoke(self, terminal_id: uuid.UUID) -> None: ...


class CalendarGateway(Protocol):
    """Attendance's calendars (service days, closures, the municipal holidays) and kitchen counts."""

    async def month(self, school_id: str, month: date) -> JsonObject:
        """Service weekdays, cut-off and the month's closures (the municipal ones too)."""

    async def set_calendar(self, school_id: str, calendar: JsonObject) -> None: ...

    async def closure_preview(self, school_id: str, day: date, class_id: str) -> int:
        """The meals already charged that a closure of the school (`class_id` "") or class would cancel."""

    async def remove_closure(self, school_id: str, day: date, class_id: str) -> JsonObject:
        """The closure removed; 409 `chiusura_non_rimovibile` once the day is closed."""

    async def declare_holidays(self, holidays: JsonObject) -> JsonObject: ...

    async def holidays(self, first: date, last: date) -> list[JsonObject]: ...

    async def holidays_preview(self, first: date, last: date) -> int: ...

    async def remove_holiday(self, day: date) -> JsonObject: ...

    async def kitchen(self, day: date) -> JsonObject:
        """Every school's count for the day, per class and diet (final once closed, else a forecast)."""

    async def kitchen_csv(self, day: date, school_id: str | None) -> bytes: ...


@dataclass(frozen=True)
class Gateways:
    attendance: AttendanceGateway
    payments: PaymentsGateway
    notifications: NotificationsGateway
    terminals: TerminalsGateway
    calendar: CalendarGateway
