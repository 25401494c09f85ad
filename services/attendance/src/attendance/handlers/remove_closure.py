"""The office removes a closure it declared by mistake: a school's or a class's, or a day of the
municipal calendar (`EVERY_SCHOOL`).

Only while the day is not closed. Once a school closed it, the closure already decided who was
charged: a meal it cancelled cannot be charged again (its `meal_id` is spent, since consumers
deduplicate on it), and the close left its classes out. Removing it then would leave a calendar
that disagrees with the meals, so it is refused (409 `chiusura_non_rimovibile`) and nothing
changes; whoever ate is charged by the office with a balance adjustment. Under the day's lock
(the city's, for a holiday), a removal and a close never interleave.
"""

from __future__ import annotations

from datetime import date

from attendance.domain.calendar import EVERY_SCHOOL, Closure
from attendance.domain.exceptions import ClosureNotFound, ClosureOfClosedDay
from attendance.handlers.ports import AttendanceUnitOfWork


async def remove_closure(uow: AttendanceUnitOfWork, school_id: str, service_date: date, class_id: str) -> Closure:
    async with uow:
        if school_id == EVERY_SCHOOL:
            await uow.days.lock_city(service_date)
            closed = await uow.days.closed_anywhere(service_date)
        else:
            closed = (await uow.days.lock(school_id, service_date)).close is not None
        if closed:
            raise ClosureOfClosedDay()
        removed = await uow.days.remove(school_id, service_date, class_id)
        if removed is None:
            raise ClosureNotFound()
        await uow.commit()
    return removed
