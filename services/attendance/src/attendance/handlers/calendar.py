"""The office sets a school's service calendar; the office or the school declares closures
(holidays, strikes, trips).

A closure of a school or a class cancels that day's meals for everyone concerned, even when
declared the same morning: before the close they are simply not produced; after the close each
meal already charged gets one `meal-cancelled`.

Idempotency: a closure is keyed by `(school, date, class or "")`; declaring it again changes
nothing and emits nothing. Under the day's lock, a closure and a close never interleave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters import days
from attendance.adapters.tables import closure, meal, school
from attendance.domain.calendar import WHOLE_SCHOOL, month_bounds
from shared.db import SqlUnitOfWork
from shared.events import MealCancelled


@dataclass(frozen=True)
class ClosureDeclared:
    already_declared: bool
    cancelled_meals: int


async def set_calendar(
    uow: SqlUnitOfWork, school_id: str, weekdays: set[int], cutoff: time, timezone: str, updated_by: str
) -> None:
    values = {"service_weekdays": sorted(weekdays), "cutoff": cutoff, "timezone": timezone, "updated_by": updated_by}
    statement = insert(school).values(school_id=school_id, **values)
    await uow.connection.execute(
        statement.on_conflict_do_update(index_elements=[school.c.school_id], set_=values | {"updated_at": func.now()})
    )
    await uow.commit()


async def declare_closure(
    uow: SqlUnitOfWork, school_id: str, service_date: date, class_id: str, kind: str, reason: str, declared_by: str
) -> ClosureDeclared:
    conn = uow.connection
    await days.lock_day(conn, school_id, service_date)
    declared = await conn.execute(
        insert(closure)
        .values(
            school_id=school_id,
            service_date=service_date,
            class_id=class_id,
            kind=kind,
            reason=reason,
            declared_by=declared_by,
        )
        .on_conflict_do_nothing()
        .returning(closure.c.school_id)
    )
    if declared.first() is None:
        return ClosureDeclared(already_declared=True, cancelled_meals=0)
    cancelled = 0
    if await days.closed_at(conn, school_id, service_date) is not None:
        cancelled = await _cancel_meals(uow, school_id, service_date, class_id, f"{kind}: {reason}")
    await uow.commit()
    return ClosureDeclared(already_declared=False, cancelled_meals=cancelled)


async def _cancel_meals(uow: SqlUnitOfWork, school_id: str, service_date: date, class_id: str, reason: str) -> int:
    concerned = [meal.c.school_id == school_id, meal.c.service_date == service_date, meal.c.cancelled_at.is_(None)]
    if class_id != WHOLE_SCHOOL:
        concerned.append(meal.c.class_id == class_id)
    rows = (
        await uow.connection.execute(
            update(meal)
            .where(*concerned)
            .values(cancelled_at=func.now(), cancel_reason=reason)
            .returning(meal.c.meal_id, meal.c.account_id)
        )
    ).all()
    await uow.publish(*(MealCancelled(meal_id=r.meal_id, account_id=r.account_id, reason=reason) for r in rows))
    return len(rows)


async def month_calendar(conn: AsyncConnection, school_id: str, month: date) -> dict[str, Any]:
    """The school's service weekdays and cut-off, and the month's closures ("" = whole school)."""
    first, last = month_bounds(month)
    settings = await days.calendar_of(conn, school_id)
    rows = await conn.execute(
        select(closure.c.service_date, closure.c.class_id, closure.c.kind, closure.c.reason, closure.c.declared_at)
        .where(closure.c.school_id == school_id, closure.c.service_date.between(first, last))
        .order_by(closure.c.service_date, closure.c.class_id)
    )
    return {
        "school_id": school_id,
        "service_weekdays": sorted(settings.service_weekdays),
        "cutoff": settings.cutoff,
        "timezone": settings.timezone,
        "closures": [dict(r._mapping) for r in rows],
    }
