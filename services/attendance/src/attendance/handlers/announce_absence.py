"""A parent announces a child's absence through the gateway, before the school's daily cut-off.

It counts as an absence at the close (with the terminal's last post for the class). After the
cut-off, or once the day is closed, it is too late. Idempotency: one announcement per child and
day; announcing twice is accepted and changes nothing. Emits nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from attendance.domain.days import Day
from attendance.domain.exceptions import UnknownStudent
from attendance.domain.meals import RosterEntry
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class AnnounceAbsence:
    student_id: uuid.UUID
    service_date: date
    announced_by: str
    now: datetime


@dataclass(frozen=True)
class AbsenceAnnounced:
    student_id: uuid.UUID
    service_date: date
    school_id: str
    cutoff_at: datetime


async def announce_absence(uow: AttendanceUnitOfWork, announcement: AnnounceAbsence) -> AbsenceAnnounced:
    on = announcement.service_date
    async with uow:
        entry, day = await open_for_announcements(uow, announcement.student_id, on, announcement.now)
        await uow.absences.announce(entry, on, announcement.announced_by)
        await uow.commit()
    return AbsenceAnnounced(entry.student_id, on, entry.school_id, day.service.calendar.cutoff_at(on))


async def open_for_announcements(
    uow: AttendanceUnitOfWork, student_id: uuid.UUID, on: date, now: datetime
) -> tuple[RosterEntry, Day]:
    """The child's enrolment and school day `on`, locked, if a parent may still change it now
    (else `TooLate`; `UnknownStudent` without an enrolment that year). Inside `uow`."""
    entry = await uow.roster.enrolment(student_id, SchoolYear.of(on))
    if entry is None:
        raise UnknownStudent()
    day = await uow.days.lock(entry.school_id, on)
    day.check_announcement(entry.class_id, now)
    return entry, day
