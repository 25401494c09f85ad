"""In-memory fakes of the accounts ports, for handler unit tests (no I/O)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from accounts.domain.adjustments import AdjustmentRequest, RequestState
from accounts.domain.audit import Actor, AuditEntry
from accounts.domain.exceptions import AccountNotFound, DuplicateUser, FormAlreadyRecorded, StudentNotFound
from accounts.domain.family import Enrolment, Family, Holder, StudentIdentity
from accounts.domain.identity import LoginMethod
from accounts.domain.ledger import Movement, Posted
from accounts.domain.tariffs import EnrolmentChange, PriceList, TariffBook
from accounts.domain.users import Role, SessionCheck, User
from accounts.domain.vouchers import VoucherForm
from accounts.domain.year_end import Candidate, ClosingJob, JobState, Refund, YearEnd
from accounts.handlers.ports import PasswordUser, StoredResponse
from shared.events import MealCancelled
from shared.school_year import SchoolYear
from testkit.fakes import FakeUnitOfWork


class FakeLedger:
    """Refuses to book on an account the transaction did not lock first."""

    def __init__(self, balances: dict[uuid.UUID, int]) -> None:
        self.balances = dict(balances)
        self.entries: list[Posted] = []
        self.locked: set[uuid.UUID] = set()

    async def lock(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        self.locked |= set(account_ids)
        return {a: self.balances[a] for a in account_ids if a in self.balances}

    async def booked(self, movements: Sequence[Movement]) -> set[tuple[str, str]]:
        held = {(p.movement.source, p.movement.source_id) for p in self.entries}
        return {(m.source, m.source_id) for m in movements} & held

    async def movements_of(self, source: str, source_ids: Collection[str]) -> list[Movement]:
        return [p.movement for p in self.entries if p.movement.source == source and p.movement.source_id in source_ids]

    async def append(self, posted: Sequence[Posted]) -> None:
        assert {p.movement.account_id for p in posted} <= self.locked, "booked without the lock"
        for p in posted:
            self.entries.append(p)
            self.balances[p.movement.account_id] = p.balance_after_cents

    def causes(self) -> list[str]:
        return [p.movement.cause.value for p in self.entries]


class FakeCancellations:
    def __init__(self) -> None:
        self.cancelled: dict[uuid.UUID, MealCancelled] = {}

    async def record(self, cancelled: Sequence[MealCancelled]) -> None:
        for c in cancelled:
            self.cancelled.setdefault(c.meal_id, c)

    async def among(self, meal_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        return set(meal_ids) & self.cancelled.keys()


class FakeTariffs:
    def __init__(self) -> None:
        self.bands: dict[tuple[str, str], str] = {}  # (band, school year) -> name
        self.price_lists: dict[tuple[str, SchoolYear], list[tuple[Any, int]]] = {}
        self.discounts: dict[SchoolYear, list[tuple[Any, int]]] = {}
        self.history: list[EnrolmentChange] = []
        self.used: set[str] = set()

    def enrol(
        self, account: uuid.UUID, student: uuid.UUID, year: SchoolYear, band: str | None, registered: int
    ) -> None:
        """An enrolment valid from the start of the year (`registered`: the child's order in the family)."""
        change = EnrolmentChange(account, student, year, registered, year.first_day, band, True, len(self.history))
        self.history.append(change)

    async def has_band(self, band_id: str, school_year: str) -> bool:
        return (band_id, school_year) in self.bands

    async def bands(self, year: SchoolYear) -> dict[str, str]:
        return {band: name for (band, y), name in self.bands.items() if y == str(year)}

    async def set_tariff(self, school_year: str, band_id: str, name: str, prices: PriceList) -> None:
        self.bands[(band_id, school_year)] = name
        kept = dict(self.price_lists.get((band_id, SchoolYear.parse(school_year)), []))
        self.price_lists[(band_id, SchoolYear.parse(school_year))] = sorted((kept | dict(prices)).items())

    async def set_discounts(self, year: SchoolYear, discounts: PriceList) -> None:
        self.discounts[year] = sorted((dict(self.discounts.get(year, [])) | dict(discounts)).items())

    async def enrolment_history(
        self, account_ids: Collection[uuid.UUID], years: Collection[SchoolYear]
    ) -> list[EnrolmentChange]:
        return [c for c in self.history if c.account_id in account_ids and c.school_year in years]

    async def book(self, years: Collection[SchoolYear], lock: str | None = None, usage: bool = False) -> TariffBook:
        prices = {key: p for key, p in self.price_lists.items() if key[1] in years}
        discounts = {y: d for y, d in self.discounts.items() if y in years}
        return TariffBook(prices, discounts, frozenset(self.used) if usage else frozenset())


class FakeFamilies:
    def __init__(self) -> None:
        self.students: dict[uuid.UUID, tuple[uuid.UUID, StudentIdentity]] = {}
        self.holders: dict[uuid.UUID, Holder] = {}
        self.enrolments: dict[tuple[uuid.UUID, str], Enrolment] = {}

    def child(self, account_id: uuid.UUID, name: str = "Luca") -> uuid.UUID:
        student_id = uuid.uuid4()
        self.students[student_id] = (account_id, StudentIdentity(student_id, "X" * 16, name, "Bianchi"))
        return student_id

    async def add(self, family: Family) -> None:
        self.holders[family.account_id] = Holder(
            family.holder_tax_code, family.holder_first_name, family.holder_last_name
        )
        for s in family.students:
            self.students[s.student_id] = (family.account_id, s)

    async def save_enrolment(self, student_id: uuid.UUID, enrolment: Enrolment, effective_from: Any) -> None:
        self.enrolments[(student_id, enrolment.school_year)] = enrolment

    async def enrolment_of(self, student_id: uuid.UUID, school_year: str) -> Enrolment | None:
        return self.enrolments.get((student_id, school_year))

    async def student_of(self, account_id: uuid.UUID, student_id: uuid.UUID) -> StudentIdentity:
        found = self.students.get(student_id)
        if found is None or found[0] != account_id:
            raise StudentNotFound()
        return found[1]

    async def holder(self, account_id: uuid.UUID) -> Holder:
        if account_id not in self.holders:
            raise AccountNotFound(account_id)
        return self.holders[account_id]

    async def held_by(self, tax_code: str) -> uuid.UUID | None:
        return next((a for a, h in self.holders.items() if h.tax_code == tax_code), None)


class FakeYearClosings:
    def __init__(self) -> None:
        self.enrolled: dict[SchoolYear, list[Candidate]] = {}
        self.closings: dict[tuple[SchoolYear, uuid.UUID], YearEnd] = {}
        self.refunds: list[Refund] = []
        self.jobs: dict[SchoolYear, ClosingJob] = {}

    async def candidates(
        self, year: SchoolYear, after: uuid.UUID | None = None, limit: int | None = None
    ) -> list[Candidate]:
        found = sorted(self.enrolled.get(year, []), key=lambda c: c.account_id)
        open_ = [c for c in found if (year, c.account_id) not in self.closings]
        return [c for c in open_ if after is None or c.account_id > after][:limit]

    async def count_candidates(self, year: SchoolYear) -> int:
        return len(await self.candidates(year))

    async def start(self, job: ClosingJob) -> bool:
        if job.year in self.jobs and self.jobs[job.year].state is JobState.RUNNING:
            return False
        self.jobs[job.year] = job
        return True

    async def job(self, year: SchoolYear) -> ClosingJob | None:
        return self.jobs.get(year)

    async def next_job(self) -> ClosingJob | None:
        return next((j for j in self.jobs.values() if j.state is JobState.RUNNING), None)

    async def advance(self, year: SchoolYear, closed: int, last_account_id: uuid.UUID) -> None:
        job = self.jobs[year]
        self.jobs[year] = dataclasses.replace(job, done=job.done + closed, last_account_id=last_account_id)

    async def finish(self, year: SchoolYear) -> None:
        job = self.jobs[year]
        self.jobs[year] = dataclasses.replace(job, state=JobState.DONE, total=job.done, finished_at=datetime.now(UTC))

    async def ends(self, year: SchoolYear) -> list[tuple[YearEnd, str | None]]:
        return [(end, None) for (y, _), end in sorted(self.closings.items(), key=lambda kv: kv[0][1]) if y == year]

    async def claim(self, year: SchoolYear, closings: Sequence[YearEnd]) -> set[uuid.UUID]:
        fresh = {c.account_id: c for c in closings if (year, c.account_id) not in self.closings}
        self.closings |= {(year, a): c for a, c in fresh.items()}
        return set(fresh)

    async def is_closed(self, account_id: uuid.UUID, year: SchoolYear) -> bool:
        return (year, account_id) in self.closings

    async def add_refunds(self, refunds: Sequence[Refund]) -> None:
        self.refunds += refunds


class FakeIdempotencyKeys:
    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], StoredResponse] = {}

    async def claim(self, scope: str, key: str, request_digest: str) -> StoredResponse | None:
        if (scope, key) in self.stored:
            return self.stored[(scope, key)]
        self.stored[(scope, key)] = StoredResponse(request_digest, {})
        return None

    async def remember(self, scope: str, key: str, response: dict[str, Any]) -> None:
        self.stored[(scope, key)] = StoredResponse(self.stored[(scope, key)].request_digest, response)


class FakeUsers:
    def __init__(self) -> None:
        self.users: dict[uuid.UUID, User] = {}
        self.password_hashes: dict[uuid.UUID, str] = {}

    async def add(self, user: User, password_hash: str | None = None) -> None:
        emails = {u.email for u in self.users.values() if u.email}
        tax_codes = {u.tax_code for u in self.users.values() if u.tax_code}
        if user.email in emails or user.tax_code in tax_codes:
            raise DuplicateUser()
        self.users[user.user_id] = user
        if password_hash:
            self.password_hashes[user.user_id] = password_hash

    async def of_tax_code(self, tax_code: str) -> User | None:
        return next((u for u in self.users.values() if u.tax_code == tax_code), None)

    async def add_holder(self, account_id: uuid.UUID, tax_code: str) -> User:
        found = await self.of_tax_code(tax_code)
        if found is None:
            found = User(uuid.uuid4(), Role.PARENT, account_id, tax_code, is_holder=True)
            self.users[found.user_id] = found
        return found

    async def with_password(self, email: str) -> PasswordUser | None:
        found = next((u for u in self.users.values() if u.email == email and u.active), None)
        if found is None or found.user_id not in self.password_hashes:
            return None
        return PasswordUser(found, self.password_hashes[found.user_id])

    async def active(self, user_id: uuid.UUID) -> User | None:
        found = self.users.get(user_id)
        return found if found and found.active else None

    async def rename(self, user_id: uuid.UUID, display_name: str | None) -> None:
        self.users[user_id] = dataclasses.replace(self.users[user_id], display_name=display_name)

    async def get(self, user_id: uuid.UUID) -> User | None:
        return self.users.get(user_id)

    async def reactivate(self, user: User) -> bool:
        found = await self.of_tax_code(user.tax_code or "")
        if found is None or found.active or found.account_id != user.account_id:
            return False
        self.users[found.user_id] = dataclasses.replace(found, active=True, is_holder=user.is_holder)
        return True

    async def change(self, user_id: uuid.UUID, role: Role, active: bool) -> None:
        self.users[user_id] = dataclasses.replace(self.users[user_id], role=role, active=active)

    async def staff_with_email(self, email: str) -> User | None:
        return next(
            (u for u in self.users.values() if u.email == email and u.active and u.role is not Role.PARENT), None
        )

    async def set_password(self, user_id: uuid.UUID, password_hash: str) -> None:
        self.password_hashes[user_id] = password_hash


@dataclasses.dataclass
class FakeSession:
    user_id: uuid.UUID
    expires_at: datetime
    method: LoginMethod
    last_seen_at: datetime
    ended_at: datetime | None = None


class FakeSessions:
    def __init__(self, users: FakeUsers) -> None:
        self.sessions: dict[str, FakeSession] = {}  # by digest
        self._users = users

    async def open(self, digest: str, user_id: uuid.UUID, expires_at: datetime, method: LoginMethod) -> None:
        self.sessions[digest] = FakeSession(user_id, expires_at, method, last_seen_at=datetime.now(expires_at.tzinfo))

    async def live_user(self, check: SessionCheck) -> User | None:
        found = self.sessions.get(check.digest)
        if found is None or found.ended_at or found.expires_at <= check.now or found.last_seen_at <= check.idle_since:
            return None
        user = await self._users.active(found.user_id)
        if user is not None and check.touch:
            found.last_seen_at = check.now
        return user

    async def end(self, digest: str, now: datetime) -> None:
        if digest in self.sessions:
            self.sessions[digest].ended_at = now

    async def end_all(self, user_id: uuid.UUID, now: datetime) -> None:
        for session in self.sessions.values():
            if session.user_id == user_id and session.ended_at is None:
                session.ended_at = now


class FakePasswordResets:
    def __init__(self) -> None:
        self.resets: dict[str, tuple[uuid.UUID, datetime, bool]] = {}  # digest -> user, expiry, used

    async def add(self, digest: str, user_id: uuid.UUID, expires_at: datetime) -> None:
        self.resets[digest] = (user_id, expires_at, False)

    async def redeem(self, digest: str, now: datetime) -> uuid.UUID | None:
        found = self.resets.get(digest)
        if found is None or found[2] or found[1] <= now:
            return None
        self.resets[digest] = (found[0], found[1], True)
        return found[0]


class FakeAuditLog:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


class FakeVoucherForms:
    def __init__(self) -> None:
        self.forms: dict[str, VoucherForm] = {}

    async def by_number(self, form_number: str) -> VoucherForm | None:
        return self.forms.get(form_number)

    async def add(self, form: VoucherForm) -> None:
        assert form.form_number is not None
        if form.form_number in self.forms:
            raise FormAlreadyRecorded(form.form_number)
        self.forms[form.form_number] = form


class FakePendingAdjustments:
    def __init__(self) -> None:
        self.requests: dict[uuid.UUID, AdjustmentRequest] = {}

    async def add(self, request: AdjustmentRequest) -> None:
        self.requests[request.request_id] = request

    async def lock(self, request_id: uuid.UUID) -> AdjustmentRequest | None:
        return self.requests.get(request_id)

    async def decide(self, request_id: uuid.UUID, state: RequestState, by: Actor, entry_id: uuid.UUID | None) -> None:
        self.requests[request_id] = dataclasses.replace(self.requests[request_id], state=state, decided_by=by.name)

    async def waiting(self) -> list[AdjustmentRequest]:
        return [r for r in self.requests.values() if r.state is RequestState.PENDING]


class FakeLoginFailures:
    def __init__(self) -> None:
        self.failures: list[tuple[str, datetime]] = []
        self.locked: list[str] = []

    async def lock(self, subjects: Collection[str]) -> None:
        self.locked += sorted(subjects)

    async def counts(self, subjects: Collection[str], since: datetime) -> dict[str, int]:
        found: dict[str, int] = {}
        for subject, at in self.failures:
            if subject in subjects and at > since:
                found[subject] = found.get(subject, 0) + 1
        return found

    async def record(self, subjects: Collection[str]) -> None:
        self.failures += [(s, datetime.now().astimezone()) for s in subjects]

    async def forget(self, subject: str) -> None:
        self.failures = [(s, at) for s, at in self.failures if s != subject]


class FakePasswords:
    """A "hash" that is the password reversed: enough to tell a right password from a wrong one."""

    async def hash(self, password: str) -> str:
        return password[::-1]

    async def verify(self, password: str, stored_hash: str | None) -> bool:
        return stored_hash is not None and stored_hash == password[::-1]


class FakeAccountsUnitOfWork(FakeUnitOfWork):
    """The repositories keep what they are given, committed or not: the tests look at the
    published events (kept only on commit) and at what a handler left in them."""

    def __init__(self, balances: dict[uuid.UUID, int] | None = None) -> None:
        super().__init__()
        self.ledger = FakeLedger(balances or {})
        self.cancellations = FakeCancellations()
        self.tariffs = FakeTariffs()
        self.families = FakeFamilies()
        self.year_closings = FakeYearClosings()
        self.idempotency = FakeIdempotencyKeys()
        self.users = FakeUsers()
        self.sessions = FakeSessions(self.users)
        self.login_failures = FakeLoginFailures()
        self.password_resets = FakePasswordResets()
        self.audit = FakeAuditLog()
        self.pending_adjustments = FakePendingAdjustments()
        self.voucher_forms = FakeVoucherForms()
        self.views: Any = None  # the read side is tested on PostgreSQL
        self.desk: Any = None


async def in_transaction(uow: FakeAccountsUnitOfWork, apply: Any, *args: Any) -> None:
    """As the consumer wrapper runs a rule: inside the unit of work, then commit."""
    async with uow:
        await apply(uow, *args)
        await uow.commit()
