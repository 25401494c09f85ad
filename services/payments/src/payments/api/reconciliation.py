"""The daily reconciliation report for the school office (through the accounts gateway)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, Response

from payments.handlers.reconcile import reconcile
from shared.dependencies import InfraDep, require_service

router = APIRouter(prefix="/internal/reconciliation", tags=["internal"], dependencies=[Depends(require_service)])


@router.get("/{day}", response_model=None)
async def get_reconciliation(day: date, infra: InfraDep, format: Literal["json", "csv"] = "json") -> Any:
    async with infra.unit_of_work() as uow:
        report = await reconcile(uow, day, infra.settings.topic_prefix)
    if format == "csv":
        disposition = f'attachment; filename="riconciliazione-{day}.csv"'
        return Response(
            report.as_csv(), media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition}
        )
    return report.as_json()
