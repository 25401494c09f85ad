"""Meal prices: tariff bands per school year, prices valid from a date, sibling discount. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


def school_year_of(day: date) -> str:
    """September to August: 2026-11-25 is in `2026/2027`, 2027-03-01 too."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{start + 1}"


def price_on(prices: Sequence[tuple[date, int]], day: date) -> int | None:
    """The price whose `effective_from` is the latest on or before `day` (None if none yet)."""
    valid = [(effective_from, cents) for effective_from, cents in prices if effective_from <= day]
    return max(valid)[1] if valid else None


def with_sibling_discount(price_cents: int, sibling_rank: int, discount_percent: int) -> int:
    """`sibling_rank` 1 is the first enrolled child, who pays in full; the others get the
    discount, rounded half up to the cent."""
    if sibling_rank <= 1 or discount_percent <= 0:
        return price_cents
    return (price_cents * (100 - discount_percent) + 50) // 100
