"""A school's service calendar: which days it serves meals, and until when parents may announce."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WHOLE_SCHOOL = ""
# The municipal calendar: a closure of this pseudo-school (always of the whole school) closes
# every school of the city that day, those enrolled later included (the Comune's holidays).
EVERY_SCHOOL = "*"


@dataclass(frozen=True)
class Calendar:
    """Defaults (Monday to Friday, cut-off 09:30 Europe/Rome) hold until the office sets them."""

    service_weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO: 1 = Monday
    cutoff: time = time(9, 30)
    timezone: str = "Europe/Rome"

    def serves_on(self, day: date) -> bool:
        return day.isoweekday() in self.service_weekdays

    def cutoff_at(self, day: date) -> datetime:
        return datetime.combine(day, self.cutoff, tzinfo=ZoneInfo(self.timezone))

    def announcements_open(self, day: date, now: datetime) -> bool:
        return now < self.cutoff_at(day)

    def today(self, now: datetime) -> date:
        """The day `now` falls on in the school's time zone."""
        return now.astimezone(ZoneInfo(self.timezone)).date()

    def has_begun(self, day: date, now: datetime) -> bool:
        """A day can be closed from its own morning on, never in advance."""
        return self.today(now) >= day


@dataclass(frozen=True)
class DayService:
    """Whether a school serves meals on a day, which of its classes are closed, and its calendar."""

    school_serves: bool
    closed_classes: frozenset[str]
    calendar: Calendar = Calendar()

    @classmethod
    def of(cls, calendar: Calendar, day: date, closed: Iterable[str]) -> DayService:
        closed = frozenset(closed)
        return cls(calendar.serves_on(day) and WHOLE_SCHOOL not in closed, closed - {WHOLE_SCHOOL}, calendar)

    def serves(self, class_id: str) -> bool:
        return self.school_serves and class_id not in self.closed_classes


@dataclass(frozen=True)
class Closure:
    """A holiday, closure, strike or trip of a whole school (`WHOLE_SCHOOL`) or of one class."""

    school_id: str
    service_date: date
    class_id: str
    kind: str
    reason: str
    declared_by: str
    declared_at: datetime | None = None  # set once recorded

    @property
    def municipal(self) -> bool:
        return self.school_id == EVERY_SCHOOL

    @property
    def cancel_reason(self) -> str:
        """What a meal cancelled by this closure says: `strike: Sciopero del personale`."""
        return f"{self.kind}: {self.reason}"


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def month_bounds(month: date) -> tuple[date, date]:
    """The first and the last day of the month of `month`."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)
