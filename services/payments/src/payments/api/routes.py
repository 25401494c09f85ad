"""Internal routes of the payments service (service credential)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, Field

from payments.handlers.accept_receipt import Receipt, accept_receipt
from shared.db import UnitOfWork
from shared.dependencies import InfraDep, require_service

internal = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_service)])


class ReceiptIn(BaseModel):
    receipt_id: str = Field(min_length=1, max_length=64)
    account_id: uuid.UUID
    amount_cents: int = Field(gt=0, description="A positive whole number of cents")
    notice_number: str = Field(pattern=r"^\d{18}$")
    iuv: str = Field(min_length=1, max_length=35)
    psp: str = "simulated-psp"
    channel: str = "counter"
    paid_at: datetime | None = None


class ReceiptOut(BaseModel):
    payment_id: uuid.UUID
    duplicate: bool


@internal.post("/receipts", status_code=status.HTTP_201_CREATED)
async def post_receipt(body: ReceiptIn, infra: InfraDep, response: Response) -> ReceiptOut:
    accepted = Receipt(**body.model_dump(exclude={"paid_at"}), paid_at=body.paid_at or datetime.now(UTC))
    uow: UnitOfWork = infra.unit_of_work()
    async with uow:
        new = await accept_receipt(uow, accepted)
    if not new:
        response.status_code = status.HTTP_200_OK
    return ReceiptOut(payment_id=accepted.payment_id, duplicate=not new)
