"""Closes a school's service day: one `meal-consumed` per child who ate, exactly once.

Idempotency: the day's lock serialises closes, closures and corrections of one school and date;
the `day_close` row is written in the same transaction as the meals and their outbox rows. A
second or concurrent close waits on the lock and finds the day closed: it emits nothing. A close
that crashes halfway rolls back whole, and the next one does the work. `meal_id` is
deterministic, so even a replayed event charges nothing twice.

Who eats is `domain.meals.who_eats`. A day without service (weekday off, holiday, whole-school
closure) cannot be closed, nor a day that has not begun yet in the school's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from attendance.domain.meals import Meal, who_eats
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class CloseDay:
    school_id: str
    service_date: date
    closed_by: str
    now: datetime


@dataclass(frozen=True)
class DayClosed:
    school_id: str
    service_date: date
    meals: int
    already_closed: bool


async def close_day(uow: AttendanceUnitOfWork, close: CloseDay) -> DayClosed:
    school, on = close.school_id, close.service_date
    async with uow:
        day = await uow.days.lock(school, on)
        if day.close is not None:
            return DayClosed(school, on, day.close.meals, already_closed=True)
        day.check_closable(close.now)
        roster = await uow.roster.enrolled(SchoolYear.of(on), [school])
        eating = who_eats(roster, {school: day.service}, await uow.absences.absent(on, [school]))
        charged = await uow.meals.charge([Meal.of(entry, on) for entry in eating])
        await uow.days.record_close(school, on, close.closed_by, len(charged))
        await uow.commit()
    return DayClosed(school, on, len(charged), already_closed=False)
