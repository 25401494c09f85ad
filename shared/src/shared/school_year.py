"""The school year (anno scolastico), part of the event contract: `2026/2027`, September to August."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})/(\d{4})$")


@dataclass(frozen=True, order=True)
class SchoolYear:
    start: int  # the calendar year of its September

    @classmethod
    def of(cls, day: date) -> SchoolYear:
        """2026-09-01 and 2027-08-31 are both in `2026/2027`."""
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        return _parse(text)

    @property
    def first_day(self) -> date:
        return date(self.start, 9, 1)

    @property
    def last_day(self) -> date:
        return date(self.start + 1, 8, 31)

    def next(self) -> SchoolYear:
        return SchoolYear(self.start + 1)

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return f"{self.start}/{self.start + 1}"


@functools.lru_cache(maxsize=64)  # a handful of years, parsed for every enrolment a batch prices
def _parse(text: str) -> SchoolYear:
    match = _PATTERN.match(text)
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise ValueError(f"not a school year: {text!r} (e.g. 2026/2027)")
    return SchoolYear(int(match[1]))
