"""Office routes (through the accounts gateway, service credential and the person): the receipt
anomalies and their resolution by a responsabile."""

from __future__ import annotations

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


class ResolutionIn(BaseModel):
    outcome: Resolution
    reason: str = Field(min_length=3, max_length=300)


@router.get("")
async def get_anomalies(uow: UowDep, unresolved: bool = False) -> list[KeptAnomaly]:
    """`kind`: second_receipt (a notice already paid), notice_cancelled, amount_mismatch;
    unresolved first, newest first."""
    return await list_anomalies(uow, unresolved)


@router.post("/{receipt_id}/resolve")
async def post_resolution(receipt_id: ReceiptId, body: ResolutionIn, uow: UowDep, who: StaffPersonDep) -> KeptAnomaly:
    return await resolve_anomaly(uow, Resolve(receipt_id, body.outcome, body.reason.strip()), who)
