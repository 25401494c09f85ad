"""Terminals record absences, close the day, declare the day's closures, correct it for a while,
and read the kitchen count. A terminal acts on its own school, and only on that school's today
(403 `solo_oggi`): past days and future closures are the office's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Response, status

from attendance.api.dependencies import SettingsDep, TerminalDep, UowDep
from attendance.api.kitchen import CSV, AcceptHeader, FormatQuery, school_response
from attendance.api.schemas import (
    Absences,
    ClassId,
    Closure,
    CorrectionApplied,
    DayClose,
    DayClosure,
    KitchenCount,
    NewCorrection,
    SchoolId,
    ServiceDate,
)
from attendance.domain import calendar
from attendance.domain.absences import AbsencePost
from attendance.handlers.close_day import CloseDay, close_day
from attendance.handlers.correct_attendance import Correction, correct_attendance
from attendance.handlers.declare_closure import declare_closure
from attendance.handlers.kitchen_counts import kitchen_count
from attendance.handlers.record_absences import record_absences

terminal = APIRouter(prefix="/schools/{school_id}/days/{service_date}", tags=["terminal"])


@terminal.put("/classes/{class_id}/absences", status_code=status.HTTP_204_NO_CONTENT)
async def put_absences(
    school_id: SchoolId, service_date: ServiceDate, class_id: ClassId, body: Absences, who: TerminalDep, uow: UowDep
) -> None:
    who.acts_for(school_id)
    absent = frozenset(body.absent_student_ids)
    await record_absences(uow, AbsencePost(school_id, class_id, service_date, absent, who.actor, datetime.now(UTC)))


@terminal.post("/close")
async def post_close(school_id: SchoolId, service_date: ServiceDate, who: TerminalDep, uow: UowDep) -> DayClose:
    who.acts_for(school_id)
    now = datetime.now(UTC)
    closed = await close_day(uow, CloseDay(school_id, service_date, who.actor, now, today_of=now))
    return DayClose.model_validate(closed)


@terminal.post("/closures")
async def post_closure(
    school_id: SchoolId, service_date: ServiceDate, body: DayClosure, who: TerminalDep, uow: UowDep
) -> Closure:
    """The school closes itself or a class for today, even the same morning: meals are cancelled."""
    who.acts_for(school_id)
    closure = calendar.Closure(
        school_id, service_date, body.class_id or calendar.WHOLE_SCHOOL, body.kind, body.reason, who.actor
    )
    return Closure.model_validate(await declare_closure(uow, closure, today_of=datetime.now(UTC)))


@terminal.post("/corrections")
async def post_correction(
    school_id: SchoolId,
    service_date: ServiceDate,
    body: NewCorrection,
    who: TerminalDep,
    uow: UowDep,
    settings: SettingsDep,
) -> CorrectionApplied:
    """Within `terminal_correction_hours` of the close; later, only the office corrects."""
    who.acts_for(school_id)
    window = timedelta(hours=settings.terminal_correction_hours)
    fix = Correction(
        school_id, body.student_id, service_date, body.kind, body.reason, who.actor, datetime.now(UTC), window
    )
    return CorrectionApplied(effect=(await correct_attendance(uow, fix)).value)


@terminal.get("/kitchen", response_model=KitchenCount, responses=CSV)
async def get_kitchen(
    school_id: SchoolId,
    service_date: ServiceDate,
    who: TerminalDep,
    uow: UowDep,
    format: FormatQuery = None,
    accept: AcceptHeader = None,
) -> Response:
    who.acts_for(school_id)
    return school_response(await kitchen_count(uow, school_id, service_date), format, accept)
