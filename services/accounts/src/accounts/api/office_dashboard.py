"""The office's dashboard and receipt anomalies as JSON, for automation: the same handlers as the
pages `/ufficio` and `/ufficio/anomalie`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from accounts.api.dependencies import DeadLettersDep, GatewaysDep, StaffDep, UowDep, staff, today
from accounts.domain.anomalies import MAX_REASON, MIN_REASON, Outcome, Resolution
from accounts.domain.dashboard import Dashboard
from accounts.handlers.office_dashboard import office_dashboard
from accounts.handlers.receipt_anomalies import receipt_anomalies
from accounts.handlers.resolve_anomaly import resolve_anomaly

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])
ReceiptId = Annotated[str, Path(min_length=1, max_length=64)]


class ResolutionIn(BaseModel):
    outcome: Outcome = Field(description="credit: to the family's account, once; refund: to be refunded; dismiss")
    reason: str = Field(min_length=MIN_REASON, max_length=MAX_REASON)


@router.get("/dashboard")
async def get_dashboard(uow: UowDep, other: GatewaysDep, dlq: DeadLettersDep, who: StaffDep) -> Dashboard:
    """Today's dashboard; a panel whose service did not answer is null."""
    return await office_dashboard(uow, other, dlq, who, today())


@router.get("/anomalies")
async def get_anomalies(other: GatewaysDep, who: StaffDep, unresolved: bool = False) -> list[dict[str, Any]]:
    return await receipt_anomalies(other, who, unresolved)


@router.post("/anomalies/{receipt_id}/resolve")
async def post_resolution(
    receipt_id: ReceiptId, body: ResolutionIn, uow: UowDep, other: GatewaysDep, who: StaffDep
) -> dict[str, Any]:
    """A responsabile's; a second resolution is 409 `anomalia_gia_risolta`."""
    return await resolve_anomaly(uow, other, who, Resolution(receipt_id, body.outcome, body.reason))
