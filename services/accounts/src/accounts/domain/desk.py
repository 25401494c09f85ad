"""What the Scrivania tells a family about its balance: its state, and how far it goes. Pure.

- State: in debt below zero; low when it covers fewer than `low_meals` meals at the family's
  price (the threshold notifications alerts at); in credit otherwise.
- Forecast: walking the coming service days of each child's school (weekdays, minus closures
  of the school or the class), meal by meal at each child's current price, until the balance
  no longer covers the next meal. The last day whose meals were all covered is "until about".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from accounts.domain.tariffs import Pricing

WHOLE_SCHOOL = ""


@dataclass(frozen=True)
class DeskRules:
    """What the Scrivania reckons with: the prices of meals, and below how many meals a balance
    is low (the threshold notifications alerts at)."""

    pricing: Pricing
    low_credit_meals: int


class BalanceState(StrEnum):
    IN_CREDIT = "in_credit"
    LOW = "low"
    IN_DEBT = "in_debt"


def balance_state(balance_cents: int, meal_cents: int, low_meals: int) -> BalanceState:
    if balance_cents < 0:
        return BalanceState.IN_DEBT
    if balance_cents < low_meals * meal_cents:
        return BalanceState.LOW
    return BalanceState.IN_CREDIT


@dataclass(frozen=True)
class Child:
    first_name: str
    school_id: str
    class_id: str
    price_cents: int


@dataclass(frozen=True)
class Closure:
    day: date
    class_id: str  # WHOLE_SCHOOL for the whole school
    kind: str  # holiday, closure, strike, trip
    reason: str

    def closes(self, day: date, class_id: str) -> bool:
        """Whether it closes `class_id` on `day` (a whole school's closes every class)."""
        return self.day == day and self.class_id in (WHOLE_SCHOOL, class_id)


@dataclass(frozen=True)
class SchoolCalendar:
    weekdays: frozenset[int]  # ISO, 1 = Monday
    closures: tuple[Closure, ...] = ()

    def serves(self, day: date, class_id: str) -> bool:
        return day.isoweekday() in self.weekdays and not any(c.closes(day, class_id) for c in self.closures)


@dataclass(frozen=True)
class Forecast:
    meals: int  # meals the balance still pays for
    last_day: date | None  # the last service day it pays for entirely
    beyond_horizon: bool  # it lasts longer than the calendar looked at


def forecast(
    balance_cents: int,
    children: Sequence[Child],
    calendars: Mapping[str, SchoolCalendar],
    start: date,
    horizon: date,
) -> Forecast:
    remaining, meals, last_day = balance_cents, 0, None
    day = start
    while day <= horizon:
        for child in (c for c in children if calendars[c.school_id].serves(day, c.class_id)):
            if child.price_cents > remaining:
                return Forecast(meals, last_day, beyond_horizon=False)
            remaining -= child.price_cents
            meals += child.price_cents > 0
        if any(calendars[c.school_id].serves(day, c.class_id) for c in children):
            last_day = day
        day += timedelta(days=1)
    return Forecast(meals, last_day, beyond_horizon=bool(children))


@dataclass(frozen=True)
class MonthTotals:
    month: date  # the first of the month
    credits_cents: int = 0  # top-ups, vouchers, reversals: what went up
    debits_cents: int = 0  # meals and refunds: what went down (negative)
    closing_cents: int | None = None  # the balance at the end of the month, if anything moved


def month_series(opening_cents: int, moved: Mapping[date, MonthTotals], months: Sequence[date]) -> list[MonthTotals]:
    """Every month of `months`, with the balance carried over those in which nothing moved."""
    balance, series = opening_cents, []
    for month in months:
        found = moved.get(month, MonthTotals(month))
        balance = found.closing_cents if found.closing_cents is not None else balance
        series.append(MonthTotals(month, found.credits_cents, found.debits_cents, balance))
    return series


def last_months(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]
