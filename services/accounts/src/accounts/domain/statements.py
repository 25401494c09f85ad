"""The statement of canteen expenses for the tax return ("Dichiarazione per il 730"): its period
(a calendar year, the tax year, or a school year) and the deductible amount of each child. Pure.

Deductible is what was paid with traceable money (pagoPA), never more than the meals charged:
paper vouchers and adjustments do not count. When the traceable payments of the period fall
short of the meals, each child gets a share in proportion to their meals (whole cents, the
remainder to the first children), so that the children's amounts never add up to more than
was paid.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.school_year import SchoolYear

FIRST_YEAR, LAST_YEAR = 2000, 2100  # a plausible range: anything else is not a statement's


class PeriodKind(StrEnum):
    CALENDAR = "calendar"  # anno solare: the tax year of the 730
    SCHOOL = "school"  # anno scolastico, September to August


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int  # the calendar year, or the year the school year starts in

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"year out of range: {self.year}")

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1) if self.kind is PeriodKind.CALENDAR else SchoolYear(self.year).first_day

    @property
    def after(self) -> date:
        """The day after the period's last."""
        return date(self.year + 1, 1, 1) if self.kind is PeriodKind.CALENDAR else date(self.year + 1, 9, 1)

    @property
    def title(self) -> str:
        """`anno 2026` or `anno scolastico 2025/2026`."""
        return f"anno {self.year}" if self.kind is PeriodKind.CALENDAR else f"anno scolastico {SchoolYear(self.year)}"


def deductible(meals: Mapping[uuid.UUID | None, int], traceable_cents: int) -> dict[uuid.UUID | None, int]:
    """Each child's deductible amount, from their meals' cost and the family's traceable payments."""
    total = sum(meals.values())
    if traceable_cents >= total:
        return dict(meals)
    if total <= 0 or traceable_cents <= 0:
        return dict.fromkeys(meals, 0)
    shares = {child: cents * traceable_cents // total for child, cents in meals.items()}
    left = traceable_cents - sum(shares.values())
    for child in list(shares)[:left]:
        shares[child] += 1
    return shares
