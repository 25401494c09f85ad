"""Adjustments waiting for a responsabile's approval, on PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import pending_adjustment as pending
from accounts.domain.adjustments import AdjustmentRequest, RequestState
from accounts.domain.audit import Actor


class SqlPendingAdjustments:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, request: AdjustmentRequest) -> None:
        await self._conn.execute(
            pending.insert().values(
                id=request.request_id,
                account_id=request.account_id,
                amount_cents=request.amount_cents,
                reason=request.reason,
                requested_by_id=request.requested_by.user_id,
                requested_by=request.requested_by.name[:200],
            )
        )

    async def lock(self, request_id: uuid.UUID) -> AdjustmentRequest | None:
        row = (await self._conn.execute(select(pending).where(pending.c.id == request_id).with_for_update())).first()
        return _request(row) if row else None

    async def decide(self, request_id: uuid.UUID, state: RequestState, by: Actor, entry_id: uuid.UUID | None) -> None:
        await self._conn.execute(
            update(pending)
            .where(pending.c.id == request_id)
            .values(
                state=state.value,
                decided_by_id=by.user_id,
                decided_by=by.name[:200],
                decided_at=func.now(),
                entry_id=entry_id,
            )
        )

    async def waiting(self) -> list[AdjustmentRequest]:
        rows = await self._conn.execute(
            select(pending).where(pending.c.state == RequestState.PENDING.value).order_by(pending.c.requested_at)
        )
        return [_request(row) for row in rows]

    async def of_account(self, account_id: uuid.UUID) -> list[AdjustmentRequest]:
        rows = await self._conn.execute(
            select(pending).where(pending.c.account_id == account_id).order_by(pending.c.requested_at.desc())
        )
        return [_request(row) for row in rows]


def _request(row: Any) -> AdjustmentRequest:
    return AdjustmentRequest(
        row.id,
        row.account_id,
        row.amount_cents,
        row.reason,
        Actor(row.requested_by_id, row.requested_by, ""),
        row.requested_at,
        RequestState(row.state),
        row.decided_by,
        row.decided_at,
    )
