"""The Scrivania's chart of the balance at the end of each month, drawn as SVG on the server:
bars above the zero line for credit, below it for debt. Geometry only; the numbers come from
the handler, and the page also gives them as a table for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.domain.desk import MonthTotals

WIDTH, HEIGHT, TOP, BOTTOM = 360, 180, 22, 40  # viewBox units; TOP/BOTTOM: room for labels


@dataclass(frozen=True)
class Bar:
    month: MonthTotals
    x: float
    y: float
    width: float
    height: float
    positive: bool

    @property
    def label_y(self) -> float:
        """Where the amount is written: above a credit, below a debt."""
        return self.y - 5 if self.positive else self.y + self.height + 13


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    zero_y: float
    width: int = WIDTH
    height: int = HEIGHT


def balance_chart(months: list[MonthTotals]) -> Chart:
    values = [m.closing_cents or 0 for m in months]
    top, bottom = max([0, *values]), min([0, *values])
    span = (top - bottom) or 1
    usable = HEIGHT - TOP - BOTTOM
    zero_y = TOP + usable * top / span
    slot = WIDTH / max(len(months), 1)

    def bar(i: int, month: MonthTotals) -> Bar:
        value = month.closing_cents or 0
        height = usable * abs(value) / span
        y = zero_y - height if value >= 0 else zero_y
        return Bar(month, slot * i + slot * 0.2, y, slot * 0.6, max(height, 1), value >= 0)

    return Chart([bar(i, m) for i, m in enumerate(months)], zero_y)
