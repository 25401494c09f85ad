"""Meal prices: tariff bands per school year, prices valid from a date, sibling discount. Pure.

A meal is priced as things stood on its service date, whenever it is charged (a meal eaten before
a withdrawal but charged after it, a re-driven dead letter):
- the child's enrolment valid that day (`enrolled_on`: its band, and its rank among the family's
  children enrolled that day, in the order they were registered);
- the band's price valid that day (the full tariff without a band or a price yet), less the
  sibling discount valid that day from the second child on.
A price (or discount) row that priced a charged meal never changes again: each meal's ledger
entry names the rows that priced it (`Priced.price_row`, `.discount_row`), and a change to a
named row is refused (`changes_refused`). A new price is a new row from a later date; meals
already charged keep what they were charged.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from shared.school_year import SchoolYear

PriceList = Sequence[tuple[date, int]]  # (effective_from, cents or percent) of one band in one school year
PriceBook = Mapping[tuple[str, SchoolYear], PriceList]  # (band, school year) -> its prices
DiscountBook = Mapping[SchoolYear, PriceList]  # school year -> (effective_from, percent)
PriceKey = tuple[str, SchoolYear, date]  # (band, school year, effective_from): one price row
DiscountKey = tuple[SchoolYear, date]  # (school year, effective_from): one sibling-discount row


@dataclass(frozen=True)
class EnrolledBand:
    """What a child's enrolment in a school year says about the price of their meals."""

    band: str | None  # None: the full tariff
    sibling_rank: int  # 1 for the account's first enrolled child of that year


@dataclass(frozen=True)
class EnrolmentChange:
    """One recorded state of a child's enrolment in a school year, valid from a day."""

    account_id: uuid.UUID
    student_id: uuid.UUID
    school_year: SchoolYear
    registered: int  # the child's order of registration in the family (siblings' rank)
    effective_from: date
    band: str | None
    active: bool
    recorded: int = 0  # the order changes were recorded in: the later wins on the same day


def enrolled_on(history: Sequence[EnrolmentChange], student_id: uuid.UUID, day: date) -> EnrolledBand | None:
    """The child's band and sibling rank on `day`, from the changes of one family in one school
    year. Before a child's first change, that first change holds (an enrolment counts from the
    start of the year); a child not enrolled that day is ranked as if they were."""
    state: dict[uuid.UUID, EnrolmentChange] = {}
    for change in sorted(history, key=lambda c: (c.effective_from, c.recorded)):
        if change.effective_from <= day or change.student_id not in state:
            state[change.student_id] = change
    mine = state.get(student_id)
    if mine is None:
        return None
    ranked = sorted(c.registered for c in state.values() if c.active or c.student_id == student_id)
    return EnrolledBand(mine.band, ranked.index(mine.registered) + 1)


@dataclass(frozen=True)
class Priced:
    cents: int
    price: PriceKey | None = None  # the band's price row used, if any
    discount: DiscountKey | None = None  # the discount row used, if any

    @property
    def price_row(self) -> str | None:
        return price_row(*self.price) if self.price else None

    @property
    def discount_row(self) -> str | None:
        return discount_row(*self.discount) if self.discount else None


def price_row(band: str, year: SchoolYear, effective_from: date) -> str:
    """How a meal's ledger entry names the price row that priced it."""
    return f"{band}|{year}|{effective_from.isoformat()}"


def discount_row(year: SchoolYear, effective_from: date) -> str:
    return f"{year}|{effective_from.isoformat()}"


@dataclass(frozen=True)
class Pricing:
    """The municipality's full tariff, and its sibling discount in percent when the school year
    sets none of its own."""

    default_cents: int
    sibling_discount_percent: int = 0

    def meal_price(
        self, day: date, enrolled: EnrolledBand | None, prices: PriceBook, discounts: DiscountBook | None = None
    ) -> int:
        return self.priced(day, enrolled, prices, discounts or {}).cents

    def priced(self, day: date, enrolled: EnrolledBand | None, prices: PriceBook, discounts: DiscountBook) -> Priced:
        """The band's price valid on `day` (the full tariff for no band, or a band without a price
        yet), less the sibling discount from the second child on; and the rows that decided it."""
        year = SchoolYear.of(day)
        band = enrolled.band if enrolled is not None else None
        valid = latest_on(prices.get((band, year), []), day) if band else None
        base = self.default_cents if valid is None else valid[1]
        rank = enrolled.sibling_rank if enrolled is not None else 1
        discount = latest_on(discounts.get(year, []), day) if rank > 1 else None
        percent = self.sibling_discount_percent if discount is None else discount[1]
        price_key = (band, year, valid[0]) if band and valid else None
        discount_key = (year, discount[0]) if discount else None
        return Priced(with_sibling_discount(base, rank, percent), price_key, discount_key)


def latest_on(prices: PriceList, day: date) -> tuple[date, int] | None:
    """The row whose `effective_from` is the latest on or before `day` (None if none yet)."""
    valid = [(effective_from, value) for effective_from, value in prices if effective_from <= day]
    return max(valid) if valid else None


def price_on(prices: PriceList, day: date) -> int | None:
    found = latest_on(prices, day)
    return found[1] if found else None


def with_sibling_discount(price_cents: int, sibling_rank: int, discount_percent: int) -> int:
    """`sibling_rank` 1 is the first enrolled child, who pays in full; the others get the
    discount, rounded half up to the cent."""
    if sibling_rank <= 1 or discount_percent <= 0:
        return price_cents
    return (price_cents * (100 - discount_percent) + 50) // 100


@dataclass(frozen=True)
class TariffBook:
    """Prices and sibling discounts of some school years, and which rows priced a charged meal
    (their `price_row` / `discount_row` names)."""

    prices: PriceBook
    discounts: DiscountBook
    used: frozenset[str] = field(default_factory=frozenset)

    def changes_refused(self, band: str, year: SchoolYear, prices: PriceList) -> list[date]:
        """The days of `prices` whose row already priced a meal and would now get another price."""
        current = dict(self.prices.get((band, year), []))
        return [
            day
            for day, cents in prices
            if price_row(band, year, day) in self.used and current.get(day) not in (None, cents)
        ]

    def discount_changes_refused(self, year: SchoolYear, discounts: PriceList) -> list[date]:
        current = dict(self.discounts.get(year, []))
        return [
            day
            for day, percent in discounts
            if discount_row(year, day) in self.used and current.get(day) not in (None, percent)
        ]
