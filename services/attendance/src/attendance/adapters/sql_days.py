"""Schools' service days on PostgreSQL: calendars (`school`), closures (`closure`), closes
(`day_close`), and the day's advisory lock."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, exists, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import closure, day_close, school
from attendance.domain.calendar import EVERY_SCHOOL, Calendar, Closure, DayService
from attendance.domain.days import Day, DayClose


class SqlDays:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def lock(self, school_id: str, service_date: date) -> Day:
        """A closure racing a close sees the close, or the close sees it: both take this lock.
        The city's day is locked shared: a municipal holiday waits for the schools' changes."""
        await self._conn.execute(select(func.pg_advisory_xact_lock_shared(_key(EVERY_SCHOOL, service_date))))
        await self._conn.execute(select(func.pg_advisory_xact_lock(_key(school_id, service_date))))
        return await self.day(school_id, service_date)

    async def lock_city(self, service_date: date) -> None:
        await self._conn.execute(select(func.pg_advisory_xact_lock(_key(EVERY_SCHOOL, service_date))))

    async def closed_anywhere(self, service_date: date) -> bool:
        return bool(await self._conn.scalar(select(exists().where(day_close.c.service_date == service_date))))

    async def day(self, school_id: str, service_date: date) -> Day:
        [service] = (await self.services(service_date, [school_id])).values()
        row = (
            await self._conn.execute(
                select(day_close.c.closed_at, day_close.c.meals).where(
                    day_close.c.school_id == school_id, day_close.c.service_date == service_date
                )
            )
        ).first()
        return Day(school_id, service_date, service, DayClose(row.closed_at, row.meals) if row else None)

    async def services(self, service_date: date, schools: Collection[str]) -> dict[str, DayService]:
        calendars = await self._calendars(schools)
        closed: dict[str, list[str]] = {s: [] for s in schools}
        rows = await self._conn.execute(
            select(closure.c.school_id, closure.c.class_id).where(
                closure.c.school_id.in_([*schools, EVERY_SCHOOL]), closure.c.service_date == service_date
            )
        )
        for row in rows:
            for concerned in closed if row.school_id == EVERY_SCHOOL else [row.school_id]:
                closed[concerned].append(row.class_id)
        return {s: DayService.of(calendars.get(s, Calendar()), service_date, closed[s]) for s in schools}

    async def closed(self, service_date: date, schools: Collection[str]) -> set[str]:
        rows = await self._conn.execute(
            select(day_close.c.school_id).where(
                day_close.c.school_id.in_(schools), day_close.c.service_date == service_date
            )
        )
        return set(rows.scalars())

    async def record_close(
        self, school_id: str, service_date: date, closed_by: str, meals: int, reason: str | None = None
    ) -> None:
        # Under the day's lock nobody else closes it: one insert, with the count, after the meals.
        await self._conn.execute(
            insert(day_close).values(
                school_id=school_id, service_date=service_date, closed_by=closed_by, meals=meals, reason=reason
            )
        )

    async def closes_since(self, school_id: str, since: datetime) -> list[tuple[date, DayClose]]:
        rows = await self._conn.execute(
            select(day_close.c.service_date, day_close.c.closed_at, day_close.c.meals)
            .where(day_close.c.school_id == school_id, day_close.c.closed_at >= since)
            .order_by(day_close.c.service_date.desc())
        )
        return [(row.service_date, DayClose(row.closed_at, row.meals)) for row in rows]

    async def calendar(self, school_id: str) -> Calendar:
        return (await self._calendars([school_id])).get(school_id, Calendar())

    async def set_calendar(self, school_id: str, calendar: Calendar, updated_by: str) -> None:
        values = {
            "service_weekdays": sorted(calendar.service_weekdays),
            "cutoff": calendar.cutoff,
            "timezone": calendar.timezone,
            "updated_by": updated_by,
        }
        statement = insert(school).values(school_id=school_id, **values)
        await self._conn.execute(
            statement.on_conflict_do_update(
                index_elements=[school.c.school_id], set_=values | {"updated_at": func.now()}
            )
        )

    async def declare(self, declared: Closure) -> bool:
        inserted = await self._conn.execute(
            insert(closure)
            .values(
                school_id=declared.school_id,
                service_date=declared.service_date,
                class_id=declared.class_id,
                kind=declared.kind,
                reason=declared.reason,
                declared_by=declared.declared_by,
            )
            .on_conflict_do_nothing()
            .returning(closure.c.school_id)
        )
        return inserted.first() is not None

    async def closures(self, school_id: str, first: date, last: date) -> list[Closure]:
        rows = await self._conn.execute(
            select(closure)
            .where(closure.c.school_id.in_({school_id, EVERY_SCHOOL}), closure.c.service_date.between(first, last))
            .order_by(closure.c.service_date, closure.c.class_id, closure.c.school_id)
        )
        return [Closure(**row._mapping) for row in rows]

    async def remove(self, school_id: str, service_date: date, class_id: str) -> Closure | None:
        row = (
            await self._conn.execute(
                delete(closure)
                .where(
                    closure.c.school_id == school_id,
                    closure.c.service_date == service_date,
                    closure.c.class_id == class_id,
                )
                .returning(*closure.c)
            )
        ).first()
        return Closure(**row._mapping) if row else None

    async def _calendars(self, schools: Collection[str]) -> dict[str, Calendar]:
        """The calendars the office set; a school it never configured has the defaults."""
        rows = await self._conn.execute(
            select(school.c.school_id, school.c.service_weekdays, school.c.cutoff, school.c.timezone).where(
                school.c.school_id.in_(schools)
            )
        )
        return {r.school_id: Calendar(frozenset(r.service_weekdays), r.cutoff, r.timezone) for r in rows}


def _key(school_id: str, service_date: date) -> ColumnElement[int]:
    return func.hashtextextended(f"attendance:day:{school_id}:{service_date.isoformat()}", 0)
