"""A parent withdraws an absence they announced, under the same rule as the announcement: before
the school's cut-off of that day and before its close (after it, `TooLate`).

Idempotency: withdrawing what is not announced (or was withdrawn already) is accepted and
changes nothing (`withdrawn` is False). Only the parent's announcement goes: an absence the
school's terminal posted stays. Emits nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from attendance.handlers.announce_absence import open_for_announcements
from attendance.handlers.ports import AttendanceUnitOfWork


@dataclass(frozen=True)
class WithdrawAbsence:
    student_id: uuid.UUID
    service_date: date
    now: datetime


@dataclass(frozen=True)
class AbsenceWithdrawn:
    student_id: uuid.UUID
    service_date: date
    school_id: str
    cutoff_at: datetime
    withdrawn: bool  # False: there was no announcement to withdraw


async def withdraw_absence(uow: AttendanceUnitOfWork, withdrawal: WithdrawAbsence) -> AbsenceWithdrawn:
    on = withdrawal.service_date
    async with uow:
        entry, day = await open_for_announcements(uow, withdrawal.student_id, on, withdrawal.now)
        withdrawn = await uow.absences.withdraw(entry.student_id, on)
        await uow.commit()
    return AbsenceWithdrawn(entry.student_id, on, entry.school_id, day.service.calendar.cutoff_at(on), withdrawn)
