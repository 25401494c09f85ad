"""The meals charged, on PostgreSQL: a meal row and its event are written together, here.

`charge` and the cancellations queue `meal-consumed` / `meal-cancelled` in the outbox through the
unit of work's `publish`, in the same transaction as the rows, built from what was recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import meal
from attendance.domain.calendar import EVERY_SCHOOL, WHOLE_SCHOOL
from attendance.domain.kitchen import Tally
from attendance.domain.meals import Meal, RecordedMeal

Publish = Callable[..., Awaitable[None]]  # the unit of work's: queues events in the outbox

# One statement per close, whatever the school's size: column arrays, unnested by PostgreSQL.
_INSERT = text(
    """
    INSERT INTO meal (meal_id, student_id, account_id, school_id, class_id, diet, service_date, meal_type)
    SELECT *
    FROM unnest(
        CAST(:meal_ids AS uuid[]), CAST(:student_ids AS uuid[]), CAST(:account_ids AS uuid[]),
        CAST(:school_ids AS varchar[]), CAST(:class_ids AS varchar[]), CAST(:diets AS varchar[]),
        CAST(:service_dates AS date[]), CAST(:meal_types AS varchar[])
    )
    ON CONFLICT (meal_id) DO NOTHING
    RETURNING meal_id
    """
)
_MEAL = (
    meal.c.meal_id,
    meal.c.student_id,
    meal.c.account_id,
    meal.c.school_id,
    meal.c.class_id,
    meal.c.diet,
    meal.c.service_date,
    meal.c.meal_type,
)


class SqlMeals:
    def __init__(self, connection: AsyncConnection, publish: Publish) -> None:
        self._conn = connection
        self._publish = publish

    async def charge(self, meals: Sequence[Meal]) -> list[Meal]:
        if not meals:
            return []
        inserted = set((await self._conn.execute(_INSERT, _columns(meals))).scalars())
        recorded = [m for m in meals if m.meal_id in inserted]
        await self._publish(*(m.consumed() for m in recorded))
        return recorded

    async def cancel(self, meal_id: uuid.UUID, reason: str) -> None:
        await self._cancel(reason, meal.c.meal_id == meal_id)

    async def cancel_day(self, school_id: str, service_date: date, class_id: str, reason: str) -> int:
        return await self._cancel(reason, *_concerned(school_id, service_date, service_date, class_id))

    async def charged(self, school_id: str, first: date, last: date, class_id: str) -> int:
        concerned = _concerned(school_id, first, last, class_id)
        count = await self._conn.scalar(select(func.count()).where(*concerned, meal.c.cancelled_at.is_(None)))
        return int(count or 0)

    async def find(self, meal_id: uuid.UUID) -> RecordedMeal | None:
        row = (await self._conn.execute(select(*_MEAL, meal.c.cancelled_at).where(meal.c.meal_id == meal_id))).first()
        return RecordedMeal(Meal(*row[:-1]), row.cancelled_at is not None) if row else None

    async def tally(self, service_date: date, schools: Collection[str]) -> Tally:
        rows = await self._conn.execute(
            select(meal.c.school_id, meal.c.class_id, meal.c.diet, func.count())
            .where(meal.c.school_id.in_(schools), meal.c.service_date == service_date, meal.c.cancelled_at.is_(None))
            .group_by(meal.c.school_id, meal.c.class_id, meal.c.diet)
        )
        return {(school_id, class_id, diet): n for school_id, class_id, diet, n in rows}

    async def schools(self, service_date: date) -> set[str]:
        rows = await self._conn.execute(select(meal.c.school_id).distinct().where(meal.c.service_date == service_date))
        return set(rows.scalars())

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[RecordedMeal]:
        return await self._recorded(meal.c.student_id == student_id, meal.c.service_date.between(first, last))

    async def of_day(self, school_id: str, service_date: date) -> list[RecordedMeal]:
        return await self._recorded(meal.c.school_id == school_id, meal.c.service_date == service_date)

    async def _recorded(self, *where: ColumnElement[bool]) -> list[RecordedMeal]:
        rows = await self._conn.execute(select(*_MEAL, meal.c.cancelled_at, meal.c.cancel_reason).where(*where))
        return [RecordedMeal(Meal(*row[:-2]), row.cancelled_at is not None, row.cancel_reason) for row in rows]

    async def _cancel(self, reason: str, *where: ColumnElement[bool]) -> int:
        rows = await self._conn.execute(
            update(meal)
            .where(*where, meal.c.cancelled_at.is_(None))
            .values(cancelled_at=func.now(), cancel_reason=reason)
            .returning(*_MEAL)
        )
        cancelled = [Meal(*row).cancelled(reason) for row in rows]
        await self._publish(*cancelled)
        return len(cancelled)


def _concerned(school_id: str, first: date, last: date, class_id: str) -> list[ColumnElement[bool]]:
    """The meals of a school (every school: `EVERY_SCHOOL`) or of one of its classes, in a period."""
    concerned: list[ColumnElement[bool]] = [meal.c.service_date.between(first, last)]
    if school_id != EVERY_SCHOOL:
        concerned.append(meal.c.school_id == school_id)
    if class_id != WHOLE_SCHOOL:
        concerned.append(meal.c.class_id == class_id)
    return concerned


def _columns(meals: Sequence[Meal]) -> dict[str, Any]:
    return {
        "meal_ids": [m.meal_id for m in meals],
        "student_ids": [m.student_id for m in meals],
        "account_ids": [m.account_id for m in meals],
        "school_ids": [m.school_id for m in meals],
        "class_ids": [m.class_id for m in meals],
        "diets": [m.diet for m in meals],
        "service_dates": [m.service_date for m in meals],
        "meal_types": [m.meal_type for m in meals],
    }
