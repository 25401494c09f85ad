"""A terminal records who is absent in a class on a day; the last post wins, every post is kept.

Only on a service day of the class, and only until the day is closed (corrections come after).
Emits nothing.
"""

from __future__ import annotations

from attendance.domain.absences import AbsencePost
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


async def record_absences(uow: AttendanceUnitOfWork, post: AbsencePost) -> None:
    async with uow:
        day = await uow.days.lock(post.school_id, post.service_date)
        day.check_absences(post.class_id)
        post.check_against(await uow.roster.enrolled(SchoolYear.of(post.service_date), [post.school_id]))
        await uow.absences.post(post)
        await uow.commit()
