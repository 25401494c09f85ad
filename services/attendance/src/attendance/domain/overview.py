"""The office's dashboard of a day, school by school: the classes recorded or not, whether the day
was closed and when, meals and absences; the days gone by of the school year that nobody closed;
the meals served per day of the month. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from attendance.domain.calendar import WHOLE_SCHOOL, Calendar, Closure
from attendance.domain.today import ClassState, SchoolToday

UNCLOSED_SHOWN = 20  # the most recent days never closed, listed by date (all of them counted)


@dataclass(frozen=True)
class ClassOverview:
    class_id: str
    state: ClassState
    enrolled: int
    absent: int


@dataclass(frozen=True)
class SchoolOverview:
    school_id: str
    serves: bool  # a service day for the school (not a holiday or a closure of the whole school)
    closed_at: datetime | None  # when the day was closed, None while it is not
    meals: int  # charged by the close, or as things stand
    absences: int
    classes: list[ClassOverview]
    never_closed: int  # days gone by of the school year that were never closed
    never_closed_days: list[date]  # the latest UNCLOSED_SHOWN of them, newest first


@dataclass(frozen=True)
class MealsServed:
    school_id: str
    service_date: date
    meals: int


@dataclass(frozen=True)
class Overview:
    service_date: date
    schools: list[SchoolOverview]
    meals_served: list[MealsServed]  # of the month of `service_date`, closed days only


def school_overview(school_id: str, today: SchoolToday, unclosed: list[date]) -> SchoolOverview:
    classes = [ClassOverview(c.class_id, c.state, c.enrolled, c.absent) for c in today.classes]
    return SchoolOverview(
        school_id=school_id,
        serves=today.day.service.school_serves,
        closed_at=today.day.close.closed_at if today.day.close else None,
        meals=today.meals,
        absences=sum(c.absent for c in today.classes if c.state is not ClassState.NO_SERVICE),
        classes=classes,
        never_closed=len(unclosed),
        never_closed_days=unclosed[:UNCLOSED_SHOWN],
    )


def never_closed(
    calendar: Calendar, closed: Collection[date], closures: Iterable[Closure], first: date, last: date
) -> list[date]:
    """Service days in [first, last] neither closed nor closed for the whole school, newest first.
    The count starts on the school's first close of the year: before it the service had not begun."""
    if not closed:
        return []
    start, holidays = max(first, min(closed)), {c.service_date for c in closures if c.class_id == WHOLE_SCHOOL}
    days = (start + timedelta(days=n) for n in range((last - start).days + 1))
    return sorted((d for d in days if calendar.serves_on(d) and d not in closed and d not in holidays), reverse=True)
