"""Receipt anomalies as the office lists and resolves them (SQLAlchemy Core on the unit of
work's connection)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from payments.adapters.tables import receipt_anomaly
from payments.domain.anomalies import KeptAnomaly, Resolution, Resolve

_a = receipt_anomaly.c
_COLUMNS = (
    _a.receipt_id,
    _a.kind,
    _a.notice_number,
    _a.iuv,
    _a.account_id,
    _a.amount_cents,
    _a.expected_cents,
    _a.psp,
    _a.channel,
    _a.paid_at,
    _a.received_at,
    _a.resolved_at,
    _a.resolved_by,
    _a.outcome,
    _a.resolution_reason,
)


class SqlAnomalies:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def listed(self, unresolved_only: bool, limit: int) -> list[KeptAnomaly]:
        query = select(*_COLUMNS).order_by(_a.resolved_at.is_not(None), _a.received_at.desc()).limit(limit)
        if unresolved_only:
            query = query.where(_a.resolved_at.is_(None))
        return [_anomaly(row._mapping) for row in await self._connection.execute(query)]

    async def get(self, receipt_id: str, *, for_update: bool = False) -> KeptAnomaly | None:
        query = select(*_COLUMNS).where(_a.receipt_id == receipt_id)
        row = (await self._connection.execute(query.with_for_update() if for_update else query)).first()
        return _anomaly(row._mapping) if row else None

    async def resolve(self, command: Resolve, resolved_by: str) -> datetime:
        statement = (
            update(receipt_anomaly)
            .where(_a.receipt_id == command.receipt_id, _a.resolved_at.is_(None))
            .values(
                resolved_at=func.now(),
                resolved_by=resolved_by,
                outcome=command.outcome.value,
                resolution_reason=command.reason,
            )
            .returning(_a.resolved_at)
        )
        return (await self._connection.execute(statement)).scalar_one()


def _anomaly(row: Any) -> KeptAnomaly:
    fields = dict(row)
    outcome, reason = fields.pop("outcome"), fields.pop("resolution_reason")
    return KeptAnomaly(**fields, outcome=Resolution(outcome) if outcome else None, reason=reason)
