"""What the accounts gateway asks for a parent or the office (service credential)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, status

from attendance.api.schemas import AbsenceAnnounced, MonthQuery
from attendance.handlers.announce_absence import announce_absence
from attendance.handlers.attendance_history import attendance_history
from shared.dependencies import InfraDep, UowDep, require_service

internal = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_service)])


@internal.post("/students/{student_id}/absences/{service_date}", status_code=status.HTTP_201_CREATED)
async def post_announcement(student_id: uuid.UUID, service_date: date, uow: UowDep) -> AbsenceAnnounced:
    """Before the school's cut-off (default 09:30 Europe/Rome) it counts; after it, 409 `troppo_tardi`."""
    async with uow:
        done = await announce_absence(uow, student_id, service_date, "parent", datetime.now(UTC))
    return AbsenceAnnounced(**done.__dict__)


@internal.get("/students/{student_id}/attendance")
async def get_history(
    student_id: uuid.UUID,
    infra: InfraDep,
    month: MonthQuery,
) -> dict[str, Any]:
    async with infra.engine.connect() as conn:
        days = await attendance_history(conn, student_id, date.fromisoformat(f"{month}-01"))
    return {"student_id": student_id, "month": month, "days": days}
