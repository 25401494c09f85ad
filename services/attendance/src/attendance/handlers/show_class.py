"""A class on the terminal's screen today: its children, alphabetical, each with their diet and
whether they are absent (by the terminal, or announced by a parent). Read-only."""

from __future__ import annotations

from datetime import datetime

from attendance.domain.exceptions import UnknownClass
from attendance.domain.today import ClassRegister, class_register
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


async def show_class(uow: AttendanceUnitOfWork, school_id: str, class_id: str, now: datetime) -> ClassRegister:
    async with uow:
        today = (await uow.days.calendar(school_id)).today(now)
        day = await uow.days.day(school_id, today)
        pupils = await uow.roster.pupils(SchoolYear.of(today), school_id)
        absences = await uow.absences.of_day(school_id, today)
    register = class_register(day, class_id, pupils, absences)
    if not register.pupils:
        raise UnknownClass()
    return register
