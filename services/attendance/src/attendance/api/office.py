"""The school office, through the accounts gateway (service credential): terminals, calendars,
closures, corrections, the manual close and the kitchen counts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Response, status

from attendance.api.kitchen import CSV, AcceptHeader, FormatQuery, city_response, school_response
from attendance.api.schemas import (
    CityKitchenCount,
    Closure,
    CorrectionApplied,
    DayClose,
    KitchenCount,
    MonthQuery,
    NewClosure,
    NewCorrection,
    NewTerminal,
    ServiceCalendar,
    TerminalCredential,
)
from attendance.domain.calendar import WHOLE_SCHOOL
from attendance.handlers import calendar, kitchen_counts, terminals
from attendance.handlers.close_day import close_day
from attendance.handlers.correct_attendance import Correction, correct_attendance
from shared.dependencies import InfraDep, UowDep, require_service

office = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(require_service)])
OFFICE = "office"


def _credential(created: terminals.Terminal, secret: str) -> TerminalCredential:
    return TerminalCredential(
        terminal_id=created.terminal_id, school_id=created.school_id, token=f"{created.terminal_id}.{secret}"
    )


@office.post("/terminals", status_code=status.HTTP_201_CREATED)
async def create_terminal(body: NewTerminal, uow: UowDep) -> TerminalCredential:
    async with uow:
        return _credential(*await terminals.register_terminal(uow, body.school_id))


@office.post("/terminals/{terminal_id}/rotate")
async def rotate_terminal(terminal_id: uuid.UUID, uow: UowDep) -> TerminalCredential:
    async with uow:
        return _credential(*await terminals.rotate_secret(uow, terminal_id))


@office.post("/terminals/{terminal_id}/revoke", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_terminal(terminal_id: uuid.UUID, uow: UowDep) -> None:
    async with uow:
        await terminals.revoke(uow, terminal_id)


@office.put("/schools/{school_id}/calendar", status_code=status.HTTP_204_NO_CONTENT)
async def put_calendar(school_id: str, body: ServiceCalendar, uow: UowDep) -> None:
    async with uow:
        await calendar.set_calendar(uow, school_id, body.service_weekdays, body.cutoff, body.timezone, OFFICE)


@office.get("/schools/{school_id}/calendar")
async def get_calendar(school_id: str, month: MonthQuery, infra: InfraDep) -> dict[str, Any]:
    """The school's service weekdays and cut-off, and the month's closures."""
    async with infra.engine.connect() as conn:
        return await calendar.month_calendar(conn, school_id, date.fromisoformat(f"{month}-01"))


@office.post("/schools/{school_id}/closures")
async def post_closure(school_id: str, body: NewClosure, uow: UowDep) -> Closure:
    async with uow:
        declared = await calendar.declare_closure(
            uow, school_id, body.service_date, body.class_id or WHOLE_SCHOOL, body.kind, body.reason, OFFICE
        )
    return Closure(**declared.__dict__)


@office.post("/schools/{school_id}/days/{service_date}/close")
async def office_close(school_id: str, service_date: date, uow: UowDep) -> DayClose:
    """The close at the cut-off, when the school's terminal did not confirm the day."""
    async with uow:
        closed = await close_day(uow, school_id, service_date, OFFICE, datetime.now(UTC))
    return DayClose(**closed.__dict__)


@office.post("/schools/{school_id}/days/{service_date}/corrections")
async def office_correction(school_id: str, service_date: date, body: NewCorrection, uow: UowDep) -> CorrectionApplied:
    fix = Correction(school_id, body.student_id, service_date, body.kind, body.reason, OFFICE)
    async with uow:
        effect = await correct_attendance(uow, fix)
    return CorrectionApplied(effect=effect.value)


@office.get("/schools/{school_id}/days/{service_date}/kitchen", response_model=KitchenCount, responses=CSV)
async def office_kitchen(
    school_id: str, service_date: date, infra: InfraDep, format: FormatQuery = None, accept: AcceptHeader = None
) -> Response:
    async with infra.engine.connect() as conn:
        count = await kitchen_counts.kitchen_count(conn, school_id, service_date)
    return school_response(count, format, accept)


@office.get("/days/{service_date}/kitchen", response_model=CityKitchenCount, responses=CSV)
async def city_kitchen(
    service_date: date, infra: InfraDep, format: FormatQuery = None, accept: AcceptHeader = None
) -> Response:
    """Every school's count for the day: final where the day is closed, a forecast elsewhere."""
    async with infra.engine.connect() as conn:
        counts = await kitchen_counts.city_kitchen_counts(conn, service_date)
    return city_response(counts, service_date, format, accept)
