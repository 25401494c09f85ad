"""A parent announces a child's absence through the gateway, before the school's daily cut-off.

It counts as an absence at the close (with the terminal's last post for the class). After the
cut-off, or once the day is closed, it is too late. Idempotency: one announcement per child and
day (`ON CONFLICT DO NOTHING`); announcing twice is accepted and changes nothing. Emits nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert

from attendance.adapters import days
from attendance.adapters.tables import absence_announcement
from attendance.domain.exceptions import NoServiceOnDay, TooLate, UnknownStudent
from shared.db import SqlUnitOfWork


@dataclass(frozen=True)
class AbsenceAnnounced:
    student_id: uuid.UUID
    service_date: date
    school_id: str
    cutoff_at: datetime


async def announce_absence(
    uow: SqlUnitOfWork, student_id: uuid.UUID, service_date: date, announced_by: str, now: datetime
) -> AbsenceAnnounced:
    conn = uow.connection
    entry = await days.enrolment(conn, student_id, service_date)
    if entry is None:
        raise UnknownStudent()
    await days.lock_day(conn, entry.school_id, service_date)
    calendar = await days.calendar_of(conn, entry.school_id)
    if not (await days.day_service(conn, entry.school_id, service_date)).serves(entry.class_id):
        raise NoServiceOnDay()
    if not calendar.announcements_open(service_date, now) or await days.closed_at(conn, entry.school_id, service_date):
        raise TooLate()
    await conn.execute(
        insert(absence_announcement)
        .values(
            student_id=student_id,
            service_date=service_date,
            school_id=entry.school_id,
            class_id=entry.class_id,
            announced_by=announced_by,
        )
        .on_conflict_do_nothing()
    )
    await uow.commit()
    return AbsenceAnnounced(student_id, service_date, entry.school_id, calendar.cutoff_at(service_date))
