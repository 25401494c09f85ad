"""Reads and locks a school's day: its calendar, its closures, whether it was closed, who is absent."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import func, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import absence, absence_announcement, closure, day_close, roster, school
from attendance.domain.calendar import Calendar, DayService, school_year
from attendance.domain.meals import RosterEntry


async def lock_day(conn: AsyncConnection, school_id: str, service_date: date) -> None:
    """Serialises everything that changes one school's day (absences, close, closures, corrections)
    until the transaction ends: a closure racing a close sees the close, or the close sees it."""
    key = f"attendance:day:{school_id}:{service_date.isoformat()}"
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


async def calendar_of(conn: AsyncConnection, school_id: str) -> Calendar:
    row = (
        await conn.execute(
            select(school.c.service_weekdays, school.c.cutoff, school.c.timezone).where(school.c.school_id == school_id)
        )
    ).first()
    if row is None:
        return Calendar()
    return Calendar(frozenset(row.service_weekdays), row.cutoff, row.timezone)


async def day_service(conn: AsyncConnection, school_id: str, service_date: date) -> DayService:
    closed = await conn.execute(
        select(closure.c.class_id).where(closure.c.school_id == school_id, closure.c.service_date == service_date)
    )
    return DayService.of(await calendar_of(conn, school_id), service_date, closed.scalars())


async def closed_at(conn: AsyncConnection, school_id: str, service_date: date) -> datetime | None:
    result: datetime | None = await conn.scalar(
        select(day_close.c.closed_at).where(
            day_close.c.school_id == school_id, day_close.c.service_date == service_date
        )
    )
    return result


async def enrolled(conn: AsyncConnection, school_id: str, service_date: date) -> list[RosterEntry]:
    """Who is enrolled and active in the school for the school year of the day."""
    rows = await conn.execute(
        select(roster.c.student_id, roster.c.account_id, roster.c.school_id, roster.c.class_id, roster.c.diet)
        .where(
            roster.c.school_id == school_id,
            roster.c.school_year == school_year(service_date),
            roster.c.active,
        )
        .order_by(roster.c.class_id, roster.c.student_id)
    )
    return [RosterEntry(*row) for row in rows]


async def enrolment(conn: AsyncConnection, student_id: uuid.UUID, service_date: date) -> RosterEntry | None:
    row = (
        await conn.execute(
            select(
                roster.c.student_id, roster.c.account_id, roster.c.school_id, roster.c.class_id, roster.c.diet
            ).where(
                roster.c.student_id == student_id,
                roster.c.school_year == school_year(service_date),
                roster.c.active,
            )
        )
    ).first()
    return RosterEntry(*row) if row else None


async def absent(conn: AsyncConnection, school_id: str, service_date: date) -> set[uuid.UUID]:
    """The terminal's last post for each class, and the parents' announcements."""
    rows = await conn.execute(
        union(
            select(absence.c.student_id).where(
                absence.c.school_id == school_id, absence.c.service_date == service_date
            ),
            select(absence_announcement.c.student_id).where(
                absence_announcement.c.school_id == school_id, absence_announcement.c.service_date == service_date
            ),
        )
    )
    return set(rows.scalars())
