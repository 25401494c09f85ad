"""The month the page Calendario shows, day by day: pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared import local_time
from shared.school_year import SchoolYear

MONTH = re.compile(r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class MonthDay:
    day: date
    serves: bool  # a service weekday of the school
    closures: list[dict[str, Any]] = field(default_factory=list)  # attendance's, of that day


def month_of(text: str) -> date:
    """`2026-12` as its first day; else this month (in Rome)."""
    found = MONTH.match(text)
    return date(int(found[1]), int(found[2]), 1) if found else local_time.today().replace(day=1)


def school_year_of(month: date) -> tuple[date, date]:
    """The first and last day of the school year of `month` (September to August)."""
    year = SchoolYear.of(month)
    return year.first_day, year.last_day


def days_of(month: date, shown: dict[str, Any]) -> list[MonthDay]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    weekdays = set(shown["service_weekdays"])
    days = [first + timedelta(days=n) for n in range((following - first).days)]
    return [
        MonthDay(d, d.isoweekday() in weekdays, [c for c in shown["closures"] if c["service_date"] == d.isoformat()])
        for d in days
    ]


def neighbours(month: date) -> tuple[str, str]:
    """The previous and the next month, as the address writes them."""
    previous = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    return f"{previous:%Y-%m}", f"{following:%Y-%m}"
