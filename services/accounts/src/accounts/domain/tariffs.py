"""Meal prices: tariff bands per school year, prices valid from a date, sibling discount. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from shared.school_year import SchoolYear

PriceList = Sequence[tuple[date, int]]  # (effective_from, cents) of one band in one school year
PriceBook = Mapping[tuple[str, SchoolYear], PriceList]  # (band, school year) -> its prices


@dataclass(frozen=True)
class EnrolledBand:
    """What a child's enrolment in a school year says about the price of their meals."""

    band: str | None  # None: the full tariff
    sibling_rank: int  # 1 for the account's first enrolled child of that year


@dataclass(frozen=True)
class Pricing:
    """The municipality's full tariff, and its sibling discount in percent."""

    default_cents: int
    sibling_discount_percent: int = 0

    def meal_price(self, day: date, enrolled: EnrolledBand | None, prices: PriceBook) -> int:
        """The band's price valid on `day` (the full tariff for no band, or a band without a price
        yet), less the sibling discount from the second child on."""
        band = enrolled.band if enrolled is not None else None
        base = price_on(prices.get((band, SchoolYear.of(day)), []), day) if band else None
        rank = enrolled.sibling_rank if enrolled is not None else 1
        return with_sibling_discount(self.default_cents if base is None else base, rank, self.sibling_discount_percent)


def price_on(prices: PriceList, day: date) -> int | None:
    """The price whose `effective_from` is the latest on or before `day` (None if none yet)."""
    valid = [(effective_from, cents) for effective_from, cents in prices if effective_from <= day]
    return max(valid)[1] if valid else None


def with_sibling_discount(price_cents: int, sibling_rank: int, discount_percent: int) -> int:
    """`sibling_rank` 1 is the first enrolled child, who pays in full; the others get the
    discount, rounded half up to the cent."""
    if sibling_rank <= 1 or discount_percent <= 0:
        return price_cents
    return (price_cents * (100 - discount_percent) + 50) // 100
