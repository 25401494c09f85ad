"""Corrects a child's attendance after the day was closed: by the office, or by the school's
terminal within a window (`ATTENDANCE_TERMINAL_CORRECTION_HOURS`).

Emits `meal-cancelled` for a meal charged by mistake (marked absent, or sent home ill after the
cut-off) and `meal-consumed` for a missed one (marked present). Every correction is recorded with
who, when, why and its effect, and the recorded absences follow it, so that history and counts
tell the same story. Idempotency: the effect depends on the meal's state under the day's lock, so
the same correction twice emits once (the second is recorded with effect "none"); a correction
the screen sends again with the same key is not even recorded again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from attendance.domain.corrections import CorrectionRecord, Effect, Kind, effect_of, state_of
from attendance.domain.days import Day
from attendance.domain.exceptions import NoServiceOnDay, UnknownStudent
from attendance.domain.meals import Meal, RosterEntry, meal_id
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class Correction:
    school_id: str
    student_id: uuid.UUID
    service_date: date
    kind: Kind
    reason: str
    corrected_by: str
    now: datetime
    window: timedelta | None = None  # how long after the close it is accepted (terminals); None: always
    change_id: uuid.UUID | None = None  # the screen's idempotency key

    @property
    def cancel_reason(self) -> str:
        return f"{self.kind.value}: {self.reason}"


async def correct_attendance(uow: AttendanceUnitOfWork, fix: Correction) -> Effect:
    async with uow:
        day = await uow.days.lock(fix.school_id, fix.service_date)
        day.check_correctable(fix.now, fix.window)
        if fix.change_id is not None and not await uow.changes.claim(fix.change_id, "correction", fix.corrected_by):
            return Effect.NONE
        class_id, effect = await _apply(uow, fix, day)
        await uow.corrections.record(
            CorrectionRecord(
                fix.school_id, fix.student_id, fix.service_date, fix.kind, fix.reason, effect, fix.corrected_by
            )
        )
        await _follow_absences(uow, fix, class_id)
        await uow.commit()
    return effect


async def _apply(uow: AttendanceUnitOfWork, fix: Correction, day: Day) -> tuple[str, Effect]:
    """What the correction does to the child's meal, and the child's class that day (the meal's,
    or the enrolment's when no meal was recorded)."""
    recorded = await uow.meals.find(meal_id(fix.student_id, fix.service_date))
    if recorded is not None and recorded.meal.school_id != fix.school_id:
        raise UnknownStudent()
    effect = effect_of(fix.kind, state_of(recorded))
    if recorded is not None:
        if effect is Effect.CANCEL:
            await uow.meals.cancel(recorded.meal.meal_id, fix.cancel_reason)
        return recorded.meal.class_id, effect
    entry = await _enrolled_and_served(uow, fix, day)  # an unknown child is refused, even with nothing to do
    if effect is Effect.CHARGE:
        await uow.meals.charge([Meal.of(entry, fix.service_date)])
    return entry.class_id, effect


async def _enrolled_and_served(uow: AttendanceUnitOfWork, fix: Correction, day: Day) -> RosterEntry:
    entry = await uow.roster.enrolment(fix.student_id, SchoolYear.of(fix.service_date))
    if entry is None or entry.school_id != fix.school_id:
        raise UnknownStudent()
    if not day.service.serves(entry.class_id):
        raise NoServiceOnDay()
    return entry


async def _follow_absences(uow: AttendanceUnitOfWork, fix: Correction, class_id: str) -> None:
    if fix.kind is Kind.PRESENT:
        await uow.absences.mark_present(fix.student_id, fix.service_date)
    elif fix.kind is Kind.ABSENT:
        await uow.absences.mark_absent(fix.school_id, class_id, fix.student_id, fix.service_date)
