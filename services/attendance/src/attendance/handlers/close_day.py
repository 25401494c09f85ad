"""Closes a school's service day: one `meal-consumed` per present child, exactly once.

Idempotency: the `day_close` row `(school, date)` is inserted with ON CONFLICT DO NOTHING in the
same transaction as the meals' outbox rows. A second or concurrent close waits on that row and
finds it taken: it emits nothing. A close that crashes halfway rolls back whole, and the next one
does the work. `meal_id` is deterministic, so even a replayed event charges nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from attendance.adapters.tables import absence, day_close, roster
from attendance.domain.meals import LUNCH, RosterEntry, meal_id, present
from shared.db import UnitOfWork
from shared.events import MealConsumed


@dataclass(frozen=True)
class DayClosed:
    school_id: str
    service_date: date
    meals: int
    already_closed: bool


async def close_day(uow: UnitOfWork, school_id: str, service_date: date, closed_by: str) -> DayClosed:
    conn = uow.connection
    claimed = await conn.execute(
        insert(day_close)
        .values(school_id=school_id, service_date=service_date, closed_by=closed_by)
        .on_conflict_do_nothing()
        .returning(day_close.c.school_id)
    )
    if claimed.first() is None:
        meals = await conn.scalar(
            select(day_close.c.meals).where(
                day_close.c.school_id == school_id, day_close.c.service_date == service_date
            )
        )
        return DayClosed(school_id, service_date, int(meals or 0), already_closed=True)
    eating = present(await _roster(uow, school_id), await _absent(uow, school_id, service_date))
    await uow.publish(
        *(
            MealConsumed(
                meal_id=meal_id(e.student_id, service_date),
                student_id=e.student_id,
                account_id=e.account_id,
                school_id=e.school_id,
                class_id=e.class_id,
                service_date=service_date,
                meal_type=LUNCH,
            )
            for e in eating
        )
    )
    await conn.execute(
        update(day_close)
        .where(day_close.c.school_id == school_id, day_close.c.service_date == service_date)
        .values(meals=len(eating))
    )
    await uow.commit()
    return DayClosed(school_id, service_date, len(eating), already_closed=False)


async def _roster(uow: UnitOfWork, school_id: str) -> list[RosterEntry]:
    rows = await uow.connection.execute(
        select(roster.c.student_id, roster.c.account_id, roster.c.school_id, roster.c.class_id, roster.c.diet)
        .where(roster.c.school_id == school_id, roster.c.active)
        .order_by(roster.c.class_id, roster.c.student_id)
    )
    return [RosterEntry(*row) for row in rows]


async def _absent(uow: UnitOfWork, school_id: str, service_date: date) -> set:
    rows = await uow.connection.execute(
        select(absence.c.student_id).where(absence.c.school_id == school_id, absence.c.service_date == service_date)
    )
    return set(rows.scalars())
