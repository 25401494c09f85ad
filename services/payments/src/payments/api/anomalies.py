"""Office routes (through the accounts gateway, service credential and the person): the receipt
anomalies and their resolution by a responsabile."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from payments.api.dependencies import UowDep
from payments.domain.anomalies import KeptAnomaly, Resolution, Resolve
from payments.handlers.list_anomalies import list_anomalies
from payments.handlers.resolve_anomaly import resolve_anomaly
from shared.dependencies import StaffPersonDep, require_service, staff_person

router = APIRouter(
    prefix="/office/anomalies", tags=["office"], dependencies=[Depends(require_service), Depends(staff_person)]
)
ReceiptId = Annotated[str, Path(min_length=1, max_length=64)]


class AnomalyOut(BaseModel):
    """`kind`: second_receipt (a notice already paid), notice_cancelled, amount_mismatch."""

    receipt_id: str
    kind: str
    notice_number: str
    iuv: str
    account_id: uuid.UUID | None
    amount_cents: int
    expected_cents: int | None
    psp: str
    channel: str | None
    paid_at: datetime
    received_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    outcome: Resolution | None
    reason: str | None

    @classmethod
    def of(cls, found: KeptAnomaly) -> AnomalyOut:
        return cls(**vars(found))


class ResolutionIn(BaseModel):
    outcome: Resolution
    reason: str = Field(min_length=3, max_length=300)


@router.get("")
async def get_anomalies(uow: UowDep, unresolved: bool = False) -> list[AnomalyOut]:
    return [AnomalyOut.of(a) for a in await list_anomalies(uow, unresolved)]


@router.post("/{receipt_id}/resolve")
async def post_resolution(receipt_id: ReceiptId, body: ResolutionIn, uow: UowDep, who: StaffPersonDep) -> AnomalyOut:
    command = Resolve(receipt_id, body.outcome, body.reason.strip())
    return AnomalyOut.of(await resolve_anomaly(uow, command, who))
