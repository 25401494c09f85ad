"""In-memory fakes of the accounts ports, for handler unit tests (no I/O)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from accounts.domain.exceptions import AccountNotFound, StudentNotFound
from accounts.domain.family import Contacts, Enrolment, Family, Holder, StudentIdentity
from accounts.domain.ledger import Movement, Posted
from accounts.domain.tariffs import EnrolledBand, PriceList
from accounts.domain.year_end import Candidate, Refund, YearEnd
from accounts.handlers.ports import StoredResponse
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
        self.enrolled: dict[tuple[uuid.UUID, SchoolYear], EnrolledBand] = {}

    async def has_band(self, band_id: str, school_year: str) -> bool:
        return (band_id, school_year) in self.bands

    async def set_tariff(self, school_year: str, band_id: str, name: str, prices: PriceList) -> None:
        self.bands[(band_id, school_year)] = name
        self.price_lists.setdefault((band_id, SchoolYear.parse(school_year)), []).extend(prices)

    async def enrolled_bands(
        self, account_ids: Collection[uuid.UUID], student_ids: Collection[uuid.UUID], years: Collection[SchoolYear]
    ) -> dict[tuple[uuid.UUID, SchoolYear], EnrolledBand]:
        return {key: band for key, band in self.enrolled.items() if key[0] in student_ids and key[1] in years}

    async def prices(self, years: Collection[SchoolYear]) -> dict[tuple[str, SchoolYear], PriceList]:
        return {key: prices for key, prices in self.price_lists.items() if key[1] in years}


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

    async def save_enrolment(self, student_id: uuid.UUID, enrolment: Enrolment) -> None:
        self.enrolments[(student_id, enrolment.school_year)] = enrolment

    async def change_contacts(self, account_id: uuid.UUID, contacts: Contacts) -> str | None:
        holder = self.holders.get(account_id)
        return holder.tax_code if holder is not None else None

    async def student_of(self, account_id: uuid.UUID, student_id: uuid.UUID) -> StudentIdentity:
        found = self.students.get(student_id)
        if found is None or found[0] != account_id:
            raise StudentNotFound()
        return found[1]

    async def holder(self, account_id: uuid.UUID) -> Holder:
        if account_id not in self.holders:
            raise AccountNotFound(account_id)
        return self.holders[account_id]


class FakeYearClosings:
    def __init__(self) -> None:
        self.enrolled: dict[SchoolYear, list[Candidate]] = {}
        self.closings: dict[tuple[SchoolYear, uuid.UUID], YearEnd] = {}
        self.refunds: list[Refund] = []

    async def candidates(self, year: SchoolYear) -> list[Candidate]:
        return sorted(self.enrolled.get(year, []), key=lambda c: c.account_id)

    async def claim(self, year: SchoolYear, closings: Sequence[YearEnd]) -> set[uuid.UUID]:
        fresh = {c.account_id: c for c in closings if (year, c.account_id) not in self.closings}
        self.closings |= {(year, a): c for a, c in fresh.items()}
        return set(fresh)

    async def recorded(self, year: SchoolYear, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, YearEnd]:
        return {a: self.closings[(year, a)] for a in account_ids if (year, a) in self.closings}

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
        self.views: Any = None  # the read side is tested on PostgreSQL


async def in_transaction(uow: FakeAccountsUnitOfWork, apply: Any, *args: Any) -> None:
    """As the consumer wrapper runs a rule: inside the unit of work, then commit."""
    async with uow:
        await apply(uow, *args)
        await uow.commit()
