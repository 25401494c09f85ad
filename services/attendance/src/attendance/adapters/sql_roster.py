"""The roster on PostgreSQL: one row per student and school year."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import roster
from attendance.domain.meals import RosterEntry
from attendance.domain.today import Pupil
from shared.events import StudentEnrolled
from shared.school_year import SchoolYear

_ENTRY = (roster.c.student_id, roster.c.account_id, roster.c.school_id, roster.c.class_id, roster.c.diet)
_PUPIL = (roster.c.student_id, roster.c.class_id, roster.c.first_name, roster.c.surname_initial, roster.c.diet)
_CHANGING = ("account_id", "school_id", "class_id", "diet", "active", "first_name", "surname_initial")


class SqlRoster:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def project(self, enrolments: Sequence[StudentEnrolled]) -> None:
        if not enrolments:
            return
        statement = insert(roster).values([_row(e) for e in enrolments])
        await self._conn.execute(
            statement.on_conflict_do_update(
                index_elements=[roster.c.student_id, roster.c.school_year],
                set_={name: statement.excluded[name] for name in _CHANGING} | {"updated_at": func.now()},
            )
        )

    async def enrolled(self, year: SchoolYear, schools: Collection[str]) -> list[RosterEntry]:
        rows = await self._conn.execute(
            select(*_ENTRY)
            .where(roster.c.school_id.in_(schools), roster.c.school_year == str(year), roster.c.active)
            .order_by(roster.c.school_id, roster.c.class_id, roster.c.student_id)
        )
        return [RosterEntry(*row) for row in rows]

    async def enrolment(self, student_id: uuid.UUID, year: SchoolYear) -> RosterEntry | None:
        row = (
            await self._conn.execute(
                select(*_ENTRY).where(
                    roster.c.student_id == student_id, roster.c.school_year == str(year), roster.c.active
                )
            )
        ).first()
        return RosterEntry(*row) if row else None

    async def schools(self, year: SchoolYear) -> set[str]:
        rows = await self._conn.execute(
            select(roster.c.school_id).distinct().where(roster.c.school_year == str(year), roster.c.active)
        )
        return set(rows.scalars())

    async def pupils(self, year: SchoolYear, school_id: str) -> list[Pupil]:
        rows = await self._conn.execute(
            select(*_PUPIL).where(roster.c.school_id == school_id, roster.c.school_year == str(year), roster.c.active)
        )
        return [Pupil(*row) for row in rows]


def _row(enrolment: StudentEnrolled) -> dict[str, object]:
    """Of the child's names, the first name and the surname's initial only: all the screen shows."""
    names = {
        "first_name": enrolment.first_name.strip()[:100],
        "surname_initial": enrolment.last_name.strip()[:1].upper(),
    }
    return enrolment.model_dump(include={"student_id", "school_year", *_CHANGING} - names.keys()) | names
