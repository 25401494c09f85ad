"""A child's month at school as the family sees it on "Figli": day by day, what the canteen did
(a meal eaten, an absence, a closure or a strike) and whether an absence can still be announced
or withdrawn. Pure.

Attendance decides (it refuses an announcement after the school's cut-off, `troppo_tardi`);
this tells the page which buttons to offer and why not: before the cut-off of the day (09:30 in
the school's time zone unless the office set another) an absence can be announced, and an
announced one withdrawn; from then on the day is settled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from accounts.domain.desk import Closure


@dataclass(frozen=True)
class SchoolMonth:
    """What attendance says of a school's month: its service weekdays, cut-off and closures."""

    weekdays: frozenset[int]  # ISO, 1 = Monday
    cutoff: time
    timezone: str
    closures: tuple[Closure, ...] = ()

    def cutoff_at(self, day: date) -> datetime:
        return datetime.combine(day, self.cutoff, tzinfo=ZoneInfo(self.timezone))

    def closure_of(self, day: date, class_id: str) -> Closure | None:
        return next((c for c in self.closures if c.closes(day, class_id)), None)


@dataclass(frozen=True)
class Attended:
    """A day attendance recorded for the child."""

    day: date
    status: str  # presente, assente, pasto_annullato
    announced_by_parent: bool = False


class DayKind(StrEnum):
    MEAL = "meal"  # a meal eaten (and charged)
    MEAL_CANCELLED = "meal_cancelled"  # charged, then cancelled (a correction, a strike)
    ABSENT = "absent"  # recorded by the school
    ANNOUNCED = "announced"  # announced by a parent
    CLOSED = "closed"  # a holiday, closure, strike or trip
    SERVICE = "service"  # a service day, nothing recorded (yet)


@dataclass(frozen=True)
class SchoolDay:
    day: date
    kind: DayKind
    cutoff_at: datetime
    closure: Closure | None = None
    open_until_cutoff: bool = False  # the cut-off has not passed: the family may still act

    @property
    def can_announce(self) -> bool:
        return self.kind is DayKind.SERVICE and self.open_until_cutoff

    @property
    def can_withdraw(self) -> bool:
        return self.kind is DayKind.ANNOUNCED and self.open_until_cutoff

    @property
    def past_cutoff(self) -> bool:
        """A day the family could have acted on, and no longer can."""
        return self.kind in (DayKind.SERVICE, DayKind.ANNOUNCED) and not self.open_until_cutoff


@dataclass(frozen=True)
class ChildMonth:
    month: date  # the first of the month
    days: list[SchoolDay] = field(default_factory=list)

    @property
    def meals(self) -> int:
        return sum(d.kind is DayKind.MEAL for d in self.days)

    @property
    def absences(self) -> int:
        return sum(d.kind in (DayKind.ABSENT, DayKind.ANNOUNCED) for d in self.days)


def month_of(
    month: date, class_id: str, school: SchoolMonth, attended: Iterable[Attended], now: datetime
) -> ChildMonth:
    """Every service day of the month (weekdays the school serves, and its closures), with what
    attendance recorded on it."""
    recorded = {a.day: a for a in attended}
    days = [
        _school_day(day, class_id, school, recorded.get(day), now)
        for day in days_of(month)
        if day.isoweekday() in school.weekdays or day in recorded
    ]
    return ChildMonth(month.replace(day=1), days)


def _school_day(day: date, class_id: str, school: SchoolMonth, found: Attended | None, now: datetime) -> SchoolDay:
    cutoff = school.cutoff_at(day)
    closure = school.closure_of(day, class_id)
    kind = _kind(found, closure)
    return SchoolDay(day, kind, cutoff, closure, open_until_cutoff=now < cutoff)


def _kind(found: Attended | None, closure: Closure | None) -> DayKind:
    if found is not None and found.status == "presente":
        return DayKind.MEAL
    if found is not None and found.status == "pasto_annullato":
        return DayKind.MEAL_CANCELLED
    if closure is not None:
        return DayKind.CLOSED
    if found is not None:
        return DayKind.ANNOUNCED if found.announced_by_parent else DayKind.ABSENT
    return DayKind.SERVICE


def days_of(month: date) -> Sequence[date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return [first + timedelta(days=i) for i in range((following - first).days)]


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def parse_month(text: str | None, today: date) -> date:
    """`2026-12` -> 1 December 2026; this month when absent. `ValueError` when malformed, or
    outside a plausible range of school years."""
    if not text:
        return today.replace(day=1)
    found = datetime.strptime(text, "%Y-%m").date()
    if not 2000 <= found.year <= 2100:
        raise ValueError(f"month out of range: {text}")
    return found
