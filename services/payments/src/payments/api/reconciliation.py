"""The daily reconciliation report for the school office (through the accounts gateway)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from payments.api.dependencies import UowDep
from payments.domain.reconciliation import AnomalyRow, EventRow, Finding, NoticeRow, ReceiptRow
from payments.handlers.reconcile import reconcile
from shared.dependencies import require_service
from shared.edge import CSV_ANSWER, PlausibleDate

router = APIRouter(prefix="/internal/reconciliation", tags=["internal"], dependencies=[Depends(require_service)])


class Totals(BaseModel):
    notices: int
    receipts: int
    received_cents: int
    events: int
    anomalies: int
    findings: int


class ReportOut(BaseModel):
    day: str
    totals: Totals
    notices: list[NoticeRow]
    receipts: list[ReceiptRow]
    events: list[EventRow]
    anomalies: list[AnomalyRow]
    findings: list[Finding]


@router.get("/{day}", response_model=ReportOut, responses=CSV_ANSWER)
async def get_reconciliation(
    day: PlausibleDate, uow: UowDep, format: Literal["json", "csv"] = "json"
) -> ReportOut | Response:
    report = await reconcile(uow, day)
    if format == "csv":
        disposition = f'attachment; filename="riconciliazione-{day}.csv"'
        return Response(
            report.as_csv(), media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition}
        )
    return ReportOut.model_validate(report.as_json())
