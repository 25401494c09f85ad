"""A terminal records who is absent in a class on a day; the last post wins, every post is kept.

Only on a service day of the class, and only until the day is closed (corrections come after).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select

from attendance.adapters import days
from attendance.adapters.tables import absence, absence_post, roster
from attendance.domain.calendar import school_year
from attendance.domain.exceptions import DayAlreadyClosed, NoServiceOnDay, UnknownClass, UnknownStudents
from shared.db import SqlUnitOfWork


async def record_absences(
    uow: SqlUnitOfWork,
    school_id: str,
    class_id: str,
    service_date: date,
    absent: set[uuid.UUID],
    posted_by: str,
) -> None:
    conn = uow.connection
    await days.lock_day(conn, school_id, service_date)
    if await days.closed_at(conn, school_id, service_date) is not None:
        raise DayAlreadyClosed()
    if not (await days.day_service(conn, school_id, service_date)).serves(class_id):
        raise NoServiceOnDay()
    enrolled = set(
        (
            await conn.execute(
                select(roster.c.student_id).where(
                    roster.c.school_id == school_id,
                    roster.c.class_id == class_id,
                    roster.c.school_year == school_year(service_date),
                    roster.c.active,
                )
            )
        ).scalars()
    )
    if unknown := absent - enrolled:
        raise UnknownStudents(len(unknown))
    if not enrolled:
        raise UnknownClass()
    await conn.execute(
        absence_post.insert().values(
            school_id=school_id,
            class_id=class_id,
            service_date=service_date,
            absent_student_ids=sorted(absent, key=str),
            posted_by=posted_by,
        )
    )
    await conn.execute(
        delete(absence).where(
            absence.c.school_id == school_id, absence.c.class_id == class_id, absence.c.service_date == service_date
        )
    )
    if absent:
        await conn.execute(
            absence.insert(),
            [
                {"service_date": service_date, "student_id": s, "school_id": school_id, "class_id": class_id}
                for s in absent
            ],
        )
    await uow.commit()
