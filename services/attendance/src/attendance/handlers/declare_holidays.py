"""The office declares the municipal calendar's holidays (8 December, the Christmas holidays):
one action closes every school of the city on every day of a period, schools enrolled later
included.

They live in attendance, which owns the calendars, as closures of the pseudo-school
`EVERY_SCHOOL`: every read of a school's day sees them (`Days.services`, `Days.closures`). Each
day is declared under the city's lock, which waits for the schools' closes of that day under
way; a meal charged that day in any school gets one `meal-cancelled`. Declaring a day again
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from attendance.domain.calendar import EVERY_SCHOOL, WHOLE_SCHOOL, Closure, days_between
from attendance.domain.exceptions import RangeTooLong
from attendance.handlers.ports import AttendanceUnitOfWork

LONGEST = 120  # days: the summer is not a holiday, it is the school year's end


@dataclass(frozen=True)
class Holidays:
    first: date
    last: date
    reason: str
    declared_by: str


@dataclass(frozen=True)
class HolidaysDeclared:
    days: int  # declared now (a day declared already is not counted)
    cancelled_meals: int


async def declare_holidays(uow: AttendanceUnitOfWork, holidays: Holidays) -> HolidaysDeclared:
    days = days_between(holidays.first, holidays.last)
    if not 0 < len(days) <= LONGEST:
        raise RangeTooLong(LONGEST)
    template = Closure(EVERY_SCHOOL, holidays.first, WHOLE_SCHOOL, "holiday", holidays.reason, holidays.declared_by)
    declared = cancelled = 0
    async with uow:
        for day in days:
            await uow.days.lock_city(day)
            closure = replace(template, service_date=day)
            if await uow.days.declare(closure):
                declared += 1
                cancelled += await uow.meals.cancel_day(EVERY_SCHOOL, day, WHOLE_SCHOOL, closure.cancel_reason)
        await uow.commit()
    return HolidaysDeclared(declared, cancelled)
