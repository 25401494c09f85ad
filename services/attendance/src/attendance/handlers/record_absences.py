"""A terminal records who is absent in a class on a day; the last post wins, every post is kept."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select

from attendance.adapters.tables import absence, absence_post, day_close, roster
from attendance.domain.exceptions import DayAlreadyClosed, UnknownStudents
from shared.db import UnitOfWork


async def record_absences(
    uow: UnitOfWork,
    school_id: str,
    class_id: str,
    service_date: date,
    absent: set[uuid.UUID],
    posted_by: str,
) -> None:
    conn = uow.connection
    closed = await conn.execute(
        select(day_close.c.school_id)
        .where(day_close.c.school_id == school_id, day_close.c.service_date == service_date)
        .with_for_update()
    )
    if closed.first() is not None:
        raise DayAlreadyClosed()
    enrolled = set(
        (
            await conn.execute(
                select(roster.c.student_id).where(
                    roster.c.school_id == school_id,
                    roster.c.class_id == class_id,
                    roster.c.active,
                )
            )
        ).scalars()
    )
    if unknown := absent - enrolled:
        raise UnknownStudents(len(unknown))
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
