"""A school's calendar for a month: its service weekdays and cut-off, and the month's closures. Read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from attendance.domain.calendar import Closure, month_bounds
from attendance.handlers.ports import AttendanceUnitOfWork


@dataclass(frozen=True)
class MonthCalendar:
    school_id: str
    service_weekdays: list[int]
    cutoff: time
    timezone: str
    closures: list[Closure]  # by date and class; class "" is the whole school


async def month_calendar(uow: AttendanceUnitOfWork, school_id: str, month: date) -> MonthCalendar:
    first, last = month_bounds(month)
    async with uow:
        calendar = await uow.days.calendar(school_id)
        closures = await uow.days.closures(school_id, first, last)
    return MonthCalendar(school_id, sorted(calendar.service_weekdays), calendar.cutoff, calendar.timezone, closures)


async def closures_between(uow: AttendanceUnitOfWork, school_id: str, first: date, last: date) -> list[Closure]:
    """The school's closures (`EVERY_SCHOOL`: the municipal calendar's) between two days."""
    async with uow:
        return await uow.days.closures(school_id, first, last)
