"""A terminal (or the office, for a day gone by) records who is absent in a class on a day; the
last post wins, every post is kept, and the class's register counts as taken.

Only on a service day of the class, and only until the day is closed (corrections come after);
a terminal only on its school's today. Emits nothing.
"""

from __future__ import annotations

from attendance.domain.absences import AbsencePost
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


async def record_absences(uow: AttendanceUnitOfWork, post: AbsencePost) -> None:
    async with uow:
        day = await uow.days.lock(post.school_id, post.service_date)
        day.check_today(post.today_of)
        day.check_absences(post.class_id)
        post.check_against(await uow.roster.enrolled(SchoolYear.of(post.service_date), [post.school_id]))
        await uow.absences.post(post)
        await uow.absences.take_register(post.school_id, post.class_id, post.service_date, post.posted_by)
        await uow.commit()
