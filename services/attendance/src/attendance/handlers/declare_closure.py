"""The office or the school declares a closure (a holiday, a strike, a trip) of a school or a class.

It cancels that day's meals for everyone concerned, even when declared the same morning: before
the close they are simply not produced; after the close each meal already charged gets one
`meal-cancelled`. Idempotency: a closure is keyed by `(school, date, class or "")`; declaring it
again changes nothing and emits nothing. Under the day's lock, a closure and a close never
interleave. A school's terminal declares one for its today only (`today_of`, the moment it
asked); other days, before or after, are the office's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from attendance.domain.calendar import Closure
from attendance.handlers.ports import AttendanceUnitOfWork


@dataclass(frozen=True)
class ClosureDeclared:
    already_declared: bool
    cancelled_meals: int


async def declare_closure(
    uow: AttendanceUnitOfWork, closure: Closure, today_of: datetime | None = None
) -> ClosureDeclared:
    async with uow:
        day = await uow.days.lock(closure.school_id, closure.service_date)
        day.check_today(today_of)
        if not await uow.days.declare(closure):
            return ClosureDeclared(already_declared=True, cancelled_meals=0)
        cancelled = 0
        if day.close is not None:
            cancelled = await uow.meals.cancel_day(
                closure.school_id, closure.service_date, closure.class_id, closure.cancel_reason
            )
        await uow.commit()
    return ClosureDeclared(already_declared=False, cancelled_meals=cancelled)
