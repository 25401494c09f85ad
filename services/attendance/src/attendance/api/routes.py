"""Terminals record absences, close the day, correct it for a while, and read the kitchen count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi import APIRouter, Response, status

from attendance.api.dependencies import SettingsDep, TerminalDep, own_school
from attendance.api.kitchen import CSV, AcceptHeader, FormatQuery, school_response
from attendance.api.schemas import (
    Absences,
    Closure,
    CorrectionApplied,
    DayClose,
    DayClosure,
    KitchenCount,
    NewCorrection,
)
from attendance.domain.calendar import WHOLE_SCHOOL
from attendance.handlers import calendar, kitchen_counts
from attendance.handlers.close_day import close_day
from attendance.handlers.correct_attendance import Correction, correct_attendance
from attendance.handlers.record_absences import record_absences
from shared.dependencies import InfraDep, UowDep

terminal = APIRouter(prefix="/schools/{school_id}/days/{service_date}", tags=["terminal"])


@terminal.put("/classes/{class_id}/absences", status_code=status.HTTP_204_NO_CONTENT)
async def put_absences(
    school_id: str, service_date: date, class_id: str, body: Absences, who: TerminalDep, uow: UowDep
) -> None:
    own_school(who, school_id)
    async with uow:
        await record_absences(
            uow,
            school_id,
            class_id,
            service_date,
            set(body.absent_student_ids),
            posted_by=f"terminal:{who.terminal_id}",
        )


@terminal.post("/close")
async def post_close(school_id: str, service_date: date, who: TerminalDep, uow: UowDep) -> DayClose:
    own_school(who, school_id)
    async with uow:
        closed = await close_day(uow, school_id, service_date, f"terminal:{who.terminal_id}", datetime.now(UTC))
    return DayClose(**closed.__dict__)


@terminal.post("/closures")
async def post_closure(school_id: str, service_date: date, body: DayClosure, who: TerminalDep, uow: UowDep) -> Closure:
    """The school closes itself or a class for the day, even the same morning: meals are cancelled."""
    own_school(who, school_id)
    async with uow:
        declared = await calendar.declare_closure(
            uow,
            school_id,
            service_date,
            body.class_id or WHOLE_SCHOOL,
            body.kind,
            body.reason,
            f"terminal:{who.terminal_id}",
        )
    return Closure(**declared.__dict__)


@terminal.post("/corrections")
async def post_correction(
    school_id: str, service_date: date, body: NewCorrection, who: TerminalDep, uow: UowDep, settings: SettingsDep
) -> CorrectionApplied:
    """Within `terminal_correction_hours` of the close; later, only the office corrects."""
    own_school(who, school_id)
    window = timedelta(hours=settings.terminal_correction_hours)
    fix = Correction(school_id, body.student_id, service_date, body.kind, body.reason, f"terminal:{who.terminal_id}")
    async with uow:
        effect = await correct_attendance(uow, fix, window)
    return CorrectionApplied(effect=effect.value)


@terminal.get("/kitchen", response_model=KitchenCount, responses=CSV)
async def get_kitchen(
    school_id: str,
    service_date: date,
    who: TerminalDep,
    infra: InfraDep,
    format: FormatQuery = None,
    accept: AcceptHeader = None,
) -> Response:
    own_school(who, school_id)
    async with infra.engine.connect() as conn:
        count = await kitchen_counts.kitchen_count(conn, school_id, service_date)
    return school_response(count, format, accept)
