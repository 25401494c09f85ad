"""Closes a school's service day: one `meal-consumed` per present child, exactly once.

Idempotency: the day's advisory lock serialises closes, closures and corrections of one school
and date; the `day_close` row `(school, date)` is inserted in the same transaction as the `meal`
rows and the meals' outbox rows. A second or concurrent close waits on the lock and finds the row:
it emits nothing. A close that crashes halfway rolls back whole, and the next one does the work.
`meal_id` is deterministic, so even a replayed event charges nothing twice.

Who eats: enrolled and active in the school for the day's school year, in a class that has
service that day, not in the terminal's last post for the class nor announced absent by a parent.
A day without service (weekday off, holiday, whole-school closure) cannot be closed, nor a day
that has not begun yet in the school's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters import days
from attendance.adapters.meals import record_meals
from attendance.adapters.tables import day_close
from attendance.domain.calendar import DayService
from attendance.domain.exceptions import FutureDay, NoServiceOnDay
from attendance.domain.meals import LUNCH, meal_id, present
from shared.db import SqlUnitOfWork
from shared.events import MealConsumed


@dataclass(frozen=True)
class DayClosed:
    school_id: str
    service_date: date
    meals: int
    already_closed: bool


async def close_day(uow: SqlUnitOfWork, school_id: str, service_date: date, closed_by: str, now: datetime) -> DayClosed:
    conn = uow.connection
    the_day = (day_close.c.school_id == school_id, day_close.c.service_date == service_date)
    await days.lock_day(conn, school_id, service_date)
    meals = await conn.scalar(select(day_close.c.meals).where(*the_day))
    if meals is not None:
        return DayClosed(school_id, service_date, int(meals), already_closed=True)
    service = await _service(conn, school_id, service_date, now)
    charged = await _charge_the_present(uow, school_id, service_date, service)
    # Under the day's lock nobody else closes it: one insert, with the count, after the meals.
    await conn.execute(
        insert(day_close).values(school_id=school_id, service_date=service_date, closed_by=closed_by, meals=charged)
    )
    await uow.commit()
    return DayClosed(school_id, service_date, charged, already_closed=False)


async def _service(conn: AsyncConnection, school_id: str, service_date: date, now: datetime) -> DayService:
    service = await days.day_service(conn, school_id, service_date)
    if not service.school_serves:
        raise NoServiceOnDay()
    if not (await days.calendar_of(conn, school_id)).has_begun(service_date, now):
        raise FutureDay()
    return service


async def _charge_the_present(uow: SqlUnitOfWork, school_id: str, service_date: date, service: DayService) -> int:
    conn = uow.connection
    roster = [e for e in await days.enrolled(conn, school_id, service_date) if service.serves(e.class_id)]
    eating = present(roster, await days.absent(conn, school_id, service_date))
    events = [
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
    ]
    eaten = [(event.meal_id, e) for event, e in zip(events, eating, strict=True)]
    recorded = await record_meals(conn, eaten, service_date, LUNCH)
    events = [event for event in events if event.meal_id in recorded]
    await uow.publish(*events)
    return len(events)
