"""What the accounts gateway asks for a parent or the office (service credential)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends, status

from attendance.api.dependencies import UowDep
from attendance.api.schemas import (
    AbsenceAnnounced,
    AbsenceWithdrawn,
    AttendanceDay,
    AttendanceMonth,
    MonthQuery,
    ServiceDate,
)
from attendance.handlers.announce_absence import AnnounceAbsence, announce_absence
from attendance.handlers.attendance_history import attendance_history
from attendance.handlers.withdraw_absence import WithdrawAbsence, withdraw_absence
from shared.dependencies import require_service

internal = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_service)])


@internal.post("/students/{student_id}/absences/{service_date}", status_code=status.HTTP_201_CREATED)
async def post_announcement(student_id: uuid.UUID, service_date: ServiceDate, uow: UowDep) -> AbsenceAnnounced:
    """Before the school's cut-off (default 09:30 Europe/Rome) it counts; after it, 409 `troppo_tardi`."""
    announced = await announce_absence(uow, AnnounceAbsence(student_id, service_date, "parent", datetime.now(UTC)))
    return AbsenceAnnounced.model_validate(announced)


@internal.delete("/students/{student_id}/absences/{service_date}")
async def delete_announcement(student_id: uuid.UUID, service_date: ServiceDate, uow: UowDep) -> AbsenceWithdrawn:
    """The parent's announcement withdrawn, under the announcement's rule: after the cut-off, 409 `troppo_tardi`."""
    withdrawn = await withdraw_absence(uow, WithdrawAbsence(student_id, service_date, datetime.now(UTC)))
    return AbsenceWithdrawn.model_validate(withdrawn)


@internal.get("/students/{student_id}/attendance", response_model_exclude_none=True)
async def get_history(student_id: uuid.UUID, month: MonthQuery, uow: UowDep) -> AttendanceMonth:
    days = await attendance_history(uow, student_id, date.fromisoformat(f"{month}-01"))
    return AttendanceMonth(student_id=student_id, month=month, days=[AttendanceDay.model_validate(d) for d in days])
