"""Absences on PostgreSQL: every terminal post (`absence_post`), the class's current absences
(`absence`: the last post or tap, as corrected after the close), each child's last tap
(`attendance_mark`), the classes recorded (`class_register`), and parents' announcements."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import absence, absence_announcement, absence_post, attendance_mark, class_register
from attendance.domain.absences import AbsencePost
from attendance.domain.history import AbsenceRecord
from attendance.domain.marks import DayAbsences, Mark
from attendance.domain.meals import Absent, RosterEntry


class SqlAbsences:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def post(self, post: AbsencePost) -> None:
        await self._conn.execute(
            absence_post.insert().values(
                school_id=post.school_id,
                class_id=post.class_id,
                service_date=post.service_date,
                absent_student_ids=sorted(post.absent, key=str),
                posted_by=post.posted_by,
            )
        )
        the_class = {"school_id": post.school_id, "class_id": post.class_id, "service_date": post.service_date}
        await self._conn.execute(delete(absence).filter_by(**the_class))
        if post.absent:
            # A child moved from another class today is absent from this one now: the last post wins.
            rows = insert(absence).values([the_class | {"student_id": s} for s in post.absent])
            await self._conn.execute(
                rows.on_conflict_do_update(
                    index_elements=[absence.c.service_date, absence.c.student_id],
                    set_={"school_id": rows.excluded.school_id, "class_id": rows.excluded.class_id},
                )
            )

    async def announce(self, entry: RosterEntry, service_date: date, announced_by: str) -> None:
        await self._conn.execute(
            insert(absence_announcement)
            .values(
                student_id=entry.student_id,
                service_date=service_date,
                school_id=entry.school_id,
                class_id=entry.class_id,
                announced_by=announced_by,
            )
            .on_conflict_do_nothing()
        )

    async def withdraw(self, student_id: uuid.UUID, service_date: date) -> bool:
        removed = await self._conn.execute(
            delete(absence_announcement)
            .where(absence_announcement.c.student_id == student_id, absence_announcement.c.service_date == service_date)
            .returning(absence_announcement.c.student_id)
        )
        return removed.first() is not None

    async def absent(self, service_date: date, schools: Collection[str]) -> Absent:
        rows = await self._conn.execute(
            union_all(
                *(
                    select(table.c.school_id, table.c.student_id).where(
                        table.c.school_id.in_(schools), table.c.service_date == service_date
                    )
                    for table in (absence, absence_announcement)
                )
            )
        )
        return {(row.school_id, row.student_id) for row in rows}

    async def mark_absent(self, school_id: str, class_id: str, student_id: uuid.UUID, service_date: date) -> None:
        await self._conn.execute(
            insert(absence)
            .values(student_id=student_id, service_date=service_date, school_id=school_id, class_id=class_id)
            .on_conflict_do_nothing()
        )

    async def of_day(self, school_id: str, service_date: date) -> DayAbsences:
        def of(column: Any) -> Any:
            table = column.table
            return select(column).where(table.c.school_id == school_id, table.c.service_date == service_date)

        recorded = await self._conn.scalars(of(absence.c.student_id))
        announced = await self._conn.scalars(of(absence_announcement.c.student_id))
        registers = await self._conn.scalars(of(class_register.c.class_id))
        return DayAbsences(frozenset(recorded), frozenset(announced), frozenset(registers))

    async def take_register(self, school_id: str, class_id: str, service_date: date, taken_by: str) -> None:
        await self._conn.execute(
            insert(class_register)
            .values(school_id=school_id, class_id=class_id, service_date=service_date, taken_by=taken_by)
            .on_conflict_do_nothing()
        )

    async def last_write(
        self, school_id: str, class_id: str, service_date: date, student_id: uuid.UUID
    ) -> datetime | None:
        tapped = select(attendance_mark.c.tapped_at).where(
            attendance_mark.c.service_date == service_date, attendance_mark.c.student_id == student_id
        )
        posted = select(func.max(absence_post.c.posted_at)).where(
            absence_post.c.school_id == school_id,
            absence_post.c.class_id == class_id,
            absence_post.c.service_date == service_date,
        )
        latest: datetime | None = await self._conn.scalar(
            select(func.greatest(tapped.scalar_subquery(), posted.scalar_subquery()))
        )
        return latest

    async def mark(self, mark: Mark) -> None:
        child = {"service_date": mark.service_date, "student_id": mark.student_id}
        where = {"school_id": mark.school_id, "class_id": mark.class_id}
        tap = {"absent": mark.absent, "tapped_at": mark.tapped_at, "marked_by": mark.marked_by} | where
        rows = insert(attendance_mark).values(child | tap)
        await self._conn.execute(rows.on_conflict_do_update(index_elements=list(child), set_=tap))
        if not mark.absent:
            await self._conn.execute(delete(absence).filter_by(**child))
            return
        absent = insert(absence).values(child | where)
        await self._conn.execute(absent.on_conflict_do_update(index_elements=list(child), set_=where))

    async def mark_present(self, student_id: uuid.UUID, service_date: date) -> None:
        await self._conn.execute(
            delete(absence).where(absence.c.student_id == student_id, absence.c.service_date == service_date)
        )

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[AbsenceRecord]:
        rows = await self._conn.execute(
            union_all(
                *(
                    select(table.c.service_date, literal(by_parent).label("by_parent")).where(
                        table.c.student_id == student_id, table.c.service_date.between(first, last)
                    )
                    for table, by_parent in ((absence, False), (absence_announcement, True))
                )
            )
        )
        return [AbsenceRecord(row.service_date, row.by_parent) for row in rows]
