"""What the terminal may still correct: the school's days closed within its window, and for one
of them (the latest by default) a class's children with their meal and the corrections each
allows (sent home ill or present by mistake: the meal is cancelled; absent by mistake: charged).
Read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from attendance.domain.corrections import CorrectableDay, CorrectablePupil, state_of
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class CorrectionsScreen:
    days: list[CorrectableDay]  # the latest first
    day: CorrectableDay | None  # the one shown
    classes: list[str]
    class_id: str | None
    pupils: list[CorrectablePupil]


async def show_corrections(
    uow: AttendanceUnitOfWork,
    school_id: str,
    now: datetime,
    window: timedelta,
    service_date: date | None = None,
    class_id: str | None = None,
) -> CorrectionsScreen:
    async with uow:
        closes = await uow.days.closes_since(school_id, now - window)
        days = [CorrectableDay(on, close.closed_at, close.closed_at + window) for on, close in closes]
        day = next((d for d in days if d.service_date == service_date), days[0] if days else None)
        if day is None:
            return CorrectionsScreen(days, None, [], None, [])
        pupils = await uow.roster.pupils(SchoolYear.of(day.service_date), school_id)
        meals = {r.meal.student_id: r for r in await uow.meals.of_day(school_id, day.service_date)}
    classes = sorted({p.class_id for p in pupils})
    chosen = class_id if class_id in classes else next(iter(classes), None)
    shown = sorted((p for p in pupils if p.class_id == chosen), key=lambda p: p.sort_key)
    return CorrectionsScreen(
        days, day, classes, chosen, [CorrectablePupil(p, state_of(meals.get(p.student_id))) for p in shown]
    )
