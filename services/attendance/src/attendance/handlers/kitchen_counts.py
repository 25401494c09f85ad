"""How many meals the kitchen cooks for a school, or for every school of the city, on a day.

Read-only. The same few set-based reads answer one school or the whole city: final counts where
the day is closed, the forecast (`domain.meals.who_eats`) elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from attendance.domain.kitchen import KitchenCount, kitchen_counts, tally
from attendance.domain.meals import who_eats
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


async def kitchen_count(uow: AttendanceUnitOfWork, school_id: str, service_date: date) -> KitchenCount:
    async with uow:
        [count] = await _counts(uow, service_date, [school_id])
    return count


async def city_kitchen_counts(uow: AttendanceUnitOfWork, service_date: date) -> list[KitchenCount]:
    """Every school with children enrolled for the day's school year, or with meals that day."""
    async with uow:
        schools = await uow.roster.schools(SchoolYear.of(service_date)) | await uow.meals.schools(service_date)
        return await _counts(uow, service_date, sorted(schools))


async def _counts(uow: AttendanceUnitOfWork, service_date: date, schools: Sequence[str]) -> list[KitchenCount]:
    closed = await uow.days.closed(service_date, schools)
    final = await uow.meals.tally(service_date, closed)
    still_open = [school for school in schools if school not in closed]
    eating = who_eats(
        await uow.roster.enrolled(SchoolYear.of(service_date), still_open),
        await uow.days.services(service_date, still_open),
        await uow.absences.absent(service_date, still_open),
    )
    return kitchen_counts(service_date, schools, closed, final, tally(eating))
