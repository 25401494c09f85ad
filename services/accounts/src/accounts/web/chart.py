"""Bar charts drawn as SVG on the server: the Scrivania's balance at the end of each month, and
the office's dashboard (meals per day, credit and debt, credits by channel). Bars above the zero
line for positive values, below it for negative ones; one slot per item, one bar per series in
the slot. Geometry only; the numbers come from the handler, and each page also gives them as a
table for screen readers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from accounts.domain.dashboard import Dashboard, LedgerDay, SchoolMeals, TopUpDay, city_meals
from accounts.domain.desk import MonthTotals

WIDTH, HEIGHT, TOP, BOTTOM = 360, 180, 22, 40  # viewBox units; TOP/BOTTOM: room for labels
T = TypeVar("T")


@dataclass(frozen=True)
class Bar(Generic[T]):
    item: T
    value: int
    series: int  # which of the chart's series: 0, 1...
    x: float
    y: float
    width: float
    height: float

    @property
    def positive(self) -> bool:
        return self.value >= 0

    @property
    def middle(self) -> float:
        return self.x + self.width / 2

    @property
    def label_y(self) -> float:
        """Where the amount is written: above a positive bar, below a negative one."""
        return self.y - 5 if self.positive else self.y + self.height + 13


@dataclass(frozen=True)
class Slot(Generic[T]):
    item: T
    middle: float  # where its label goes on the axis


@dataclass(frozen=True)
class Chart(Generic[T]):
    bars: list[Bar[T]]
    slots: list[Slot[T]]
    zero_y: float
    width: int = WIDTH
    height: int = HEIGHT


def bar_chart(items: Sequence[T], *series: Callable[[T], int]) -> Chart[T]:
    """One slot per item; in it, one bar per function of `series` (its value for the item)."""
    values = [value(item) for item in items for value in series]
    top, bottom = max([0, *values]), min([0, *values])
    span = (top - bottom) or 1
    usable = HEIGHT - TOP - BOTTOM
    zero_y = TOP + usable * top / span
    slot = WIDTH / max(len(items), 1)
    width = slot * 0.6 / max(len(series), 1)

    def bar(i: int, item: T, n: int, value: int) -> Bar[T]:
        height = usable * abs(value) / span
        y = zero_y - height if value >= 0 else zero_y
        return Bar(item, value, n, slot * i + slot * 0.2 + width * n, y, width, max(height, 1))

    bars = [bar(i, item, n, value(item)) for i, item in enumerate(items) for n, value in enumerate(series)]
    return Chart(bars, [Slot(item, slot * i + slot / 2) for i, item in enumerate(items)], zero_y)


def balance_chart(months: list[MonthTotals]) -> Chart[MonthTotals]:
    return bar_chart(months, lambda month: month.closing_cents or 0)


@dataclass(frozen=True)
class DashboardCharts:
    city: Chart[tuple[date, int]]  # the meals of every school, per day
    school: tuple[SchoolMeals, Chart[tuple[date, int]]] | None  # the one school asked for
    ledger: Chart[LedgerDay]  # series 0: credit, 1: debt
    top_ups: Chart[TopUpDay] | None  # series 0: online, 1: at a counter; None: payments did not answer


def dashboard_charts(board: Dashboard, school: SchoolMeals | None) -> DashboardCharts:
    return DashboardCharts(
        bar_chart(city_meals(board.meals), lambda day: day[1]),
        (school, bar_chart(school.days, lambda day: day[1])) if school else None,
        bar_chart(board.ledger, lambda d: d.credit_cents, lambda d: d.debt_cents),
        bar_chart(board.top_ups, lambda d: d.online_cents, lambda d: d.counter_cents) if board.top_ups else None,
    )
