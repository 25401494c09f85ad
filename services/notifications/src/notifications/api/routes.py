"""Internal routes (service credential): the office reads a family's delivery log through accounts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from notifications.api.dependencies import UowDep
from notifications.domain.delivery import LoggedDelivery
from notifications.handlers.read_delivery_log import read_delivery_log
from shared.dependencies import require_service

internal = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_service)])


@internal.get("/accounts/{account_id}/deliveries")
async def deliveries(
    account_id: uuid.UUID, uow: UowDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[LoggedDelivery]:
    return await read_delivery_log(uow, account_id, limit)
