"""Closes a school's service day: one `meal-consumed` per child who ate, exactly once.

Idempotency: the day's lock serialises closes, closures and corrections of one school and date;
the `day_close` row is written in the same transaction as the meals and their outbox rows. A
second or concurrent close waits on the lock and finds the day closed: it emits nothing. A close
that crashes halfway rolls back whole, and the next one does the work. `meal_id` is
deterministic, so even a replayed event charges nothing twice. The terminal's screen sends its
close with a key too (kept with the close), so a close queued offline and replayed is one close.

Who eats is `domain.meals.who_eats`. A day without service (weekday off, holiday, whole-school
closure) cannot be closed, nor a day that has not begun yet in the school's time zone; a day gone
by is the office's, with a reason; a terminal closes its school's today only. From the screen, a
class not recorded counts everyone present only once the operator confirmed it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from attendance.domain.days import Day
from attendance.domain.meals import Meal, RosterEntry, who_eats
from attendance.domain.today import school_today
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class CloseDay:
    school_id: str
    service_date: date
    closed_by: str
    now: datetime
    today_of: datetime | None = None  # a terminal's close, sent then: its school's today only
    reason: str | None = None  # why the office closes a day already gone
    unrecorded_confirmed: bool | None = None  # the screen's confirmation; None: nobody was asked
    change_id: uuid.UUID | None = None  # the screen's idempotency key


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
        day.check_today(close.today_of)
        if day.close is not None:
            return DayClosed(school, on, day.close.meals, already_closed=True)
        day.check_closable(close.now, close.reason)
        roster = await uow.roster.enrolled(SchoolYear.of(on), [school])
        await _check_unrecorded(uow, close, day, roster)
        eating = who_eats(roster, {school: day.service}, await uow.absences.absent(on, [school]))
        charged = await uow.meals.charge([Meal.of(entry, on) for entry in eating])
        await uow.days.record_close(school, on, close.closed_by, len(charged), close.reason)
        if close.change_id is not None:
            await uow.changes.claim(close.change_id, "close", close.closed_by)
        await uow.commit()
    return DayClosed(school, on, len(charged), already_closed=False)


async def _check_unrecorded(uow: AttendanceUnitOfWork, close: CloseDay, day: Day, roster: list[RosterEntry]) -> None:
    if close.unrecorded_confirmed is None:
        return
    absences = await uow.absences.of_day(close.school_id, close.service_date)
    school_today(day, roster, absences, []).check_unrecorded(close.unrecorded_confirmed)
