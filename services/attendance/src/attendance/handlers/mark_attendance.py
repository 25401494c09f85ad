"""One tap of the terminal's screen: a child present or absent today, saved at once.

Under the day's lock: the tap's key is claimed (a tap replayed is answered `already_received`
and applied once); the day must be today, served for the class, and not closed; the child must
be enrolled in the class. Then the last write per child wins, by the time of the tap
(`domain/marks.py`): an older tap than the child's last write is kept as received but changes
nothing (`superseded`). The class's register counts as taken. Emits nothing.
"""

from __future__ import annotations

from datetime import datetime

from attendance.domain.exceptions import UnknownStudents
from attendance.domain.marks import Mark, Outcome
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


async def mark_attendance(uow: AttendanceUnitOfWork, tap: Mark, now: datetime) -> Outcome:
    tap = tap.no_later_than(now)
    async with uow:
        day = await uow.days.lock(tap.school_id, tap.service_date)
        if not await uow.changes.claim(tap.change_id, "mark", tap.marked_by):
            return Outcome.ALREADY_RECEIVED
        day.check_today(now)
        day.check_absences(tap.class_id)
        await _check_enrolled(uow, tap)
        tap.check_against(await uow.absences.of_day(tap.school_id, tap.service_date))
        last = await uow.absences.last_write(tap.school_id, tap.class_id, tap.service_date, tap.student_id)
        outcome = Outcome.APPLIED if tap.wins_over(last) else Outcome.SUPERSEDED
        if outcome is Outcome.APPLIED:
            await uow.absences.mark(tap)
        await uow.absences.take_register(tap.school_id, tap.class_id, tap.service_date, tap.marked_by)
        await uow.commit()
    return outcome


async def _check_enrolled(uow: AttendanceUnitOfWork, tap: Mark) -> None:
    entry = await uow.roster.enrolment(tap.student_id, SchoolYear.of(tap.service_date))
    if entry is None or (entry.school_id, entry.class_id) != (tap.school_id, tap.class_id):
        raise UnknownStudents(1)
