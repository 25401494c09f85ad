"""How many meals the kitchen cooks for a school and day, per class and diet: pure, no I/O.

Before the close a forecast (who eats, by `meals.who_eats`); after it the final count (the meals
charged and not cancelled).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from attendance.domain.meals import RosterEntry

# Meals per (school, class, diet).
Tally = Mapping[tuple[str, str, str], int]


@dataclass(frozen=True)
class KitchenLine:
    class_id: str
    diet: str
    meals: int


@dataclass(frozen=True)
class KitchenCount:
    school_id: str
    service_date: date
    final: bool
    lines: list[KitchenLine]

    @property
    def total(self) -> int:
        return sum(line.meals for line in self.lines)


def tally(eating: Iterable[RosterEntry]) -> Counter[tuple[str, str, str]]:
    return Counter((entry.school_id, entry.class_id, entry.diet) for entry in eating)


def kitchen_counts(
    service_date: date, schools: Sequence[str], closed: Collection[str], final: Tally, forecast: Tally
) -> list[KitchenCount]:
    """One count per school, in the order given: final where the day is closed, else the forecast."""
    final_lines, forecast_lines = _by_school(final), _by_school(forecast)
    return [
        KitchenCount(school, service_date, True, final_lines[school])
        if school in closed
        else KitchenCount(school, service_date, False, forecast_lines[school])
        for school in schools
    ]


def _by_school(tallied: Tally) -> defaultdict[str, list[KitchenLine]]:
    lines: defaultdict[str, list[KitchenLine]] = defaultdict(list)
    for (school_id, class_id, diet), meals in sorted(tallied.items()):
        lines[school_id].append(KitchenLine(class_id, diet, meals))
    return lines
