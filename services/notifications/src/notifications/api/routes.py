"""Internal routes (service credential): the office reads a family's delivery log through accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from notifications.handlers.queries import delivery_log_of
from shared.dependencies import InfraDep, require_service

internal = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_service)])


class DeliveryOut(BaseModel):
    id: int
    rule: str
    cause_id: str
    event_id: uuid.UUID | None
    channel: str
    state: str
    attempts: int
    last_error: str | None
    recipient: str | None
    not_before: datetime | None
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime


@internal.get("/accounts/{account_id}/deliveries")
async def deliveries(
    account_id: uuid.UUID, infra: InfraDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[DeliveryOut]:
    return [DeliveryOut(**row) for row in await delivery_log_of(infra.unit_of_work, account_id, limit)]
