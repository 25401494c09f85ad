"""An account as its family and the office see it: balance, students, movements."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from accounts.api.dependencies import InfraDep, OfficeOnly
from accounts.api.schemas import AccountView, Amount, MovementView, StudentView
from accounts.handlers import queries

router = APIRouter(prefix="/accounts", tags=["accounts"], dependencies=[OfficeOnly])


@router.get("/{account_id}")
async def get_account(account_id: uuid.UUID, infra: InfraDep) -> AccountView:
    async with infra.engine.connect() as conn:
        summary = await queries.account_summary(conn, account_id)
    row = summary["account"]
    return AccountView(
        account_id=row["id"],
        holder_first_name=row["holder_first_name"],
        holder_last_name=row["holder_last_name"],
        balance=Amount.of(row["balance_cents"]),
        students=[StudentView(student_id=s.pop("id"), **s) for s in summary["students"]],
    )


@router.get("/{account_id}/movements")
async def list_movements(
    account_id: uuid.UUID,
    infra: InfraDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[MovementView]:
    async with infra.engine.connect() as conn:
        rows = await queries.movements(conn, account_id, limit, offset)
    return [
        MovementView(
            entry_id=r["id"],
            cause=r["cause"],
            amount=Amount.of(r["amount_cents"]),
            balance_after=Amount.of(r["balance_after_cents"]),
            description=r["description"],
            booked_at=r["booked_at"],
        )
        for r in rows
    ]
