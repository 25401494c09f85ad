"""What a school's terminal shows of today: its classes and their state (to record, recorded,
no service), the day's closures, the cut-off, and what the close charged or will charge
(the summary of "Chiudi la giornata"). Read-only."""

from __future__ import annotations

from datetime import datetime

from attendance.domain.today import SchoolToday, school_today
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


async def show_today(uow: AttendanceUnitOfWork, school_id: str, now: datetime) -> SchoolToday:
    async with uow:
        today = (await uow.days.calendar(school_id)).today(now)
        day = await uow.days.day(school_id, today)
        roster = await uow.roster.enrolled(SchoolYear.of(today), [school_id])
        absences = await uow.absences.of_day(school_id, today)
        closures = await uow.days.closures(school_id, today, today)
    return school_today(day, roster, absences, closures)
