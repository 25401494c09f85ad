"""A student's attendance in a month: each day with a meal, an absence or a correction.

Read-only; the gateway shows it to the parents, the office sees it for any student.
"""

from __future__ import annotations

import uuid
from datetime import date

from attendance.domain.calendar import month_bounds
from attendance.domain.history import AttendanceDay, attendance_days
from attendance.handlers.ports import AttendanceUnitOfWork


async def attendance_history(uow: AttendanceUnitOfWork, student_id: uuid.UUID, month: date) -> list[AttendanceDay]:
    first, last = month_bounds(month)
    async with uow:
        return attendance_days(
            await uow.absences.of_student(student_id, first, last),
            await uow.meals.of_student(student_id, first, last),
            await uow.corrections.of_student(student_id, first, last),
        )
