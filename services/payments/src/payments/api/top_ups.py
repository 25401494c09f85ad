"""Office route (through the accounts gateway, service credential and the person): the top-ups
per day, online or at a counter, for the dashboard's chart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from payments.api.dependencies import UowDep
from payments.domain.reconciliation import TopUpsOfDay
from payments.handlers.top_ups_by_channel import top_ups_by_channel
from shared.dependencies import require_service, staff_person
from shared.edge import PlausibleDate
from shared.http import HttpError

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(require_service), Depends(staff_person)])
MAX_DAYS = 366


Day = Annotated[PlausibleDate, Query()]


@router.get("/top-ups")
async def get_top_ups(uow: UowDep, first: Day, last: Day) -> list[TopUpsOfDay]:
    """Per Rome day from `first` to `last` (at most a year): cents paid online, and at a counter."""
    if not 0 <= (last - first).days < MAX_DAYS:
        raise HttpError(422, "periodo_non_valido", "Il periodo va da un giorno a un anno, dall'inizio alla fine.")
    return await top_ups_by_channel(uow, first, last)
