"""The office's dashboard of a day (`domain.overview`): every school with children enrolled for
the school year, or with meals that day. Read-only."""

from __future__ import annotations

from datetime import date, timedelta

from attendance.domain.calendar import month_bounds
from attendance.domain.overview import MealsServed, Overview, SchoolOverview, never_closed, school_overview
from attendance.domain.today import school_today
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


async def office_dashboard(uow: AttendanceUnitOfWork, day: date) -> Overview:
    first, last = month_bounds(day)
    async with uow:
        schools = await uow.roster.schools(SchoolYear.of(day)) | await uow.meals.schools(day)
        overviews = [await _school(uow, school_id, day) for school_id in sorted(schools)]
        served = await uow.meals.per_day(first, last)
    meals = [MealsServed(school, on, n) for (school, on), n in sorted(served.items(), key=lambda kv: kv[0])]
    return Overview(day, overviews, meals)


async def _school(uow: AttendanceUnitOfWork, school_id: str, day: date) -> SchoolOverview:
    year = SchoolYear.of(day)
    today = school_today(
        await uow.days.day(school_id, day),
        await uow.roster.enrolled(year, [school_id]),
        await uow.absences.of_day(school_id, day),
        await uow.days.closures(school_id, day, day),
    )
    yesterday = day - timedelta(days=1)
    unclosed = never_closed(
        await uow.days.calendar(school_id),
        await uow.days.closed_days(school_id, year.first_day, yesterday),
        await uow.days.closures(school_id, year.first_day, yesterday),
        year.first_day,
        yesterday,
    )
    return school_overview(school_id, today, unclosed)
