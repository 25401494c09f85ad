"""Internal routes for the office (through the accounts gateway, service credential): where the
notices' registration in pagoPA's ACA stands, and sending a refused change again."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from payments.api.dependencies import ClockDep, UowDep
from payments.domain.aca import AcaStatus, Change, Registration
from payments.handlers.aca_backlog import aca_backlog
from payments.handlers.retry_in_aca import retry_in_aca
from shared.dependencies import require_service

router = APIRouter(prefix="/internal/aca", tags=["internal"], dependencies=[Depends(require_service)])


class AcaOut(BaseModel):
    """A notice's latest change for ACA: `state` pending (not sent yet, or to be sent again:
    `attempts` and `answer` tell why), registered, or failed (ACA refused it: `answer` says how)."""

    change: Change
    state: Registration
    attempts: int
    queued_at: datetime
    answer: str | None
    answered_at: datetime | None
    next_attempt_at: datetime | None

    @classmethod
    def of(cls, status: AcaStatus | None) -> AcaOut | None:
        return None if status is None else cls(**vars(status))


class AcaItem(AcaOut):
    notice_number: str


class BacklogOut(BaseModel):
    pending: int
    failed: int
    oldest_pending_at: datetime | None
    items: list[AcaItem]


@router.get("")
async def get_backlog(
    uow: UowDep,
    state: Literal["pending", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> BacklogOut:
    """Notices whose latest change is pending or failed (the oldest first), and how many."""
    backlog = await aca_backlog(uow, Registration(state) if state else None, limit)
    items = [AcaItem(notice_number=number, **vars(status)) for number, status in backlog.items]
    return BacklogOut(
        pending=backlog.pending, failed=backlog.failed, oldest_pending_at=backlog.oldest_pending_at, items=items
    )


@router.post("/{notice_number}/retry")
async def post_retry(
    notice_number: Annotated[str, Path(pattern=r"^\d{18}$")], uow: UowDep, clock: ClockDep
) -> AcaOut | None:
    """Sends the notice's latest change again if ACA had refused it (a pending or registered one
    is left as it is)."""
    return AcaOut.of(await retry_in_aca(uow, notice_number, clock))
