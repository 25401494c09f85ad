"""The meals a day charged: written in bulk by the close, one at a time by corrections."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.domain.meals import RosterEntry

# One statement per close, whatever the school's size: column arrays, unnested by PostgreSQL.
_INSERT = text(
    """
    INSERT INTO meal (meal_id, student_id, account_id, school_id, class_id, diet, service_date, meal_type)
    SELECT m, s, a, sc, c, d, :service_date, :meal_type
    FROM unnest(
        CAST(:meal_ids AS uuid[]), CAST(:student_ids AS uuid[]), CAST(:account_ids AS uuid[]),
        CAST(:school_ids AS varchar[]), CAST(:class_ids AS varchar[]), CAST(:diets AS varchar[])
    ) AS t(m, s, a, sc, c, d)
    ON CONFLICT (meal_id) DO NOTHING
    RETURNING meal_id
    """
)


async def record_meals(
    conn: AsyncConnection, eaten: Sequence[tuple[uuid.UUID, RosterEntry]], service_date: date, meal_type: str
) -> set[uuid.UUID]:
    """The meals recorded now: a meal already recorded (a child moved to a school that closes
    later the same day) is not recorded, nor charged, twice."""
    if not eaten:
        return set()
    inserted = await conn.execute(
        _INSERT,
        {
            "meal_ids": [meal_id for meal_id, _ in eaten],
            "student_ids": [e.student_id for _, e in eaten],
            "account_ids": [e.account_id for _, e in eaten],
            "school_ids": [e.school_id for _, e in eaten],
            "class_ids": [e.class_id for _, e in eaten],
            "diets": [e.diet for _, e in eaten],
            "service_date": service_date,
            "meal_type": meal_type,
        },
    )
    return set(inserted.scalars())
