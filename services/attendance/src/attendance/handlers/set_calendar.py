"""The office sets a school's service calendar: its service weekdays, cut-off and time zone."""

from __future__ import annotations

from attendance.domain.calendar import Calendar
from attendance.handlers.ports import AttendanceUnitOfWork


async def set_calendar(uow: AttendanceUnitOfWork, school_id: str, calendar: Calendar, updated_by: str) -> None:
    async with uow:
        await uow.days.set_calendar(school_id, calendar, updated_by)
        await uow.commit()
