"""Corrects a child's attendance after the day was closed: by the office, or by the school's
terminal within a window (`ATTENDANCE_TERMINAL_CORRECTION_HOURS`).

Emits `meal-cancelled` for a meal charged by mistake (marked absent, or sent home ill after the
cut-off) and `meal-consumed` for a missed one (marked present). Every correction is recorded with
who, when, why and its effect. Idempotency: the effect depends on the meal's state under the
day's lock, so the same correction twice emits once (the second is recorded with effect "none").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from attendance.adapters import days
from attendance.adapters.meals import record_meals
from attendance.adapters.tables import absence, correction, meal
from attendance.domain.corrections import Effect, Kind, MealState, effect_of
from attendance.domain.exceptions import CorrectionWindowClosed, DayNotClosed, NoServiceOnDay, UnknownStudent
from attendance.domain.meals import LUNCH, RosterEntry, meal_id
from shared.db import SqlUnitOfWork
from shared.events import MealCancelled, MealConsumed


@dataclass(frozen=True)
class Correction:
    school_id: str
    student_id: uuid.UUID
    service_date: date
    kind: Kind
    reason: str
    corrected_by: str


async def correct_attendance(uow: SqlUnitOfWork, fix: Correction, window: timedelta | None = None) -> Effect:
    """`window` limits how long after the close the correction is accepted (terminals)."""
    conn = uow.connection
    await days.lock_day(conn, fix.school_id, fix.service_date)
    closed = await days.closed_at(conn, fix.school_id, fix.service_date)
    if closed is None:
        raise DayNotClosed()
    if window is not None and datetime.now(UTC) - closed > window:
        raise CorrectionWindowClosed()
    the_meal = meal_id(fix.student_id, fix.service_date)
    row = (
        await conn.execute(
            select(meal.c.school_id, meal.c.class_id, meal.c.account_id, meal.c.cancelled_at).where(
                meal.c.meal_id == the_meal
            )
        )
    ).first()
    if row is not None and row.school_id != fix.school_id:
        raise UnknownStudent()
    state = MealState.MISSING if row is None else MealState.CHARGED if row.cancelled_at is None else MealState.CANCELLED
    effect = effect_of(fix.kind, state)
    if row is not None:
        class_id = row.class_id
        if effect is Effect.CANCEL:
            await _cancel(uow, the_meal, row.account_id, f"{fix.kind.value}: {fix.reason}")
    else:  # an unknown child is refused, even with nothing to do
        entry = await _enrolled_and_served(uow, fix)
        class_id = entry.class_id
        if effect is Effect.CHARGE:
            await _charge(uow, entry, fix.service_date)
    await _record(uow, fix, effect, class_id)
    await uow.commit()
    return effect


async def _enrolled_and_served(uow: SqlUnitOfWork, fix: Correction) -> RosterEntry:
    entry = await days.enrolment(uow.connection, fix.student_id, fix.service_date)
    if entry is None or entry.school_id != fix.school_id:
        raise UnknownStudent()
    if not (await days.day_service(uow.connection, fix.school_id, fix.service_date)).serves(entry.class_id):
        raise NoServiceOnDay()
    return entry


async def _cancel(uow: SqlUnitOfWork, the_meal: uuid.UUID, account_id: uuid.UUID, reason: str) -> None:
    await uow.connection.execute(
        update(meal).where(meal.c.meal_id == the_meal).values(cancelled_at=func.now(), cancel_reason=reason)
    )
    await uow.publish(MealCancelled(meal_id=the_meal, account_id=account_id, reason=reason))


async def _charge(uow: SqlUnitOfWork, entry: RosterEntry, service_date: date) -> None:
    event = MealConsumed(
        meal_id=meal_id(entry.student_id, service_date),
        student_id=entry.student_id,
        account_id=entry.account_id,
        school_id=entry.school_id,
        class_id=entry.class_id,
        service_date=service_date,
        meal_type=LUNCH,
    )
    if await record_meals(uow.connection, [(event.meal_id, entry)], service_date, LUNCH):
        await uow.publish(event)


async def _record(uow: SqlUnitOfWork, fix: Correction, effect: Effect, class_id: str) -> None:
    conn = uow.connection
    await conn.execute(
        correction.insert().values(
            school_id=fix.school_id,
            student_id=fix.student_id,
            service_date=fix.service_date,
            kind=fix.kind.value,
            reason=fix.reason,
            effect=effect.value,
            corrected_by=fix.corrected_by,
        )
    )
    # The recorded absences follow the correction, so that history and counts tell the same story.
    where = (absence.c.student_id == fix.student_id, absence.c.service_date == fix.service_date)
    if fix.kind is Kind.PRESENT:
        await conn.execute(delete(absence).where(*where))
    elif fix.kind is Kind.ABSENT:
        await conn.execute(
            insert(absence)
            .values(
                student_id=fix.student_id, service_date=fix.service_date, school_id=fix.school_id, class_id=class_id
            )
            .on_conflict_do_nothing()
        )
