"""Receipts and receipt anomalies in PostgreSQL (SQLAlchemy Core on the unit of work's connection)."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from payments.adapters.tables import receipt, receipt_anomaly
from payments.domain.receipt import Anomaly, Receipt


class SqlReceipts:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def recorded(self, receipt_id: str) -> bool:
        query = select(
            exists().where(receipt.c.receipt_id == receipt_id)
            | exists().where(receipt_anomaly.c.receipt_id == receipt_id)
        )
        return bool(await self._connection.scalar(query))

    async def add(self, accepted: Receipt, account_id: uuid.UUID) -> bool:
        inserted = await self._connection.execute(
            insert(receipt)
            .values(
                **_fields(accepted), payment_id=accepted.payment_id, account_id=account_id, channel=accepted.channel
            )
            .on_conflict_do_nothing()  # on receipt_id, the payment_id derived from it, or (creditor, IUV)
            .returning(receipt.c.receipt_id)
        )
        return inserted.first() is not None

    async def add_anomaly(self, anomaly: Anomaly) -> None:
        await self._connection.execute(
            insert(receipt_anomaly)
            .values(
                **_fields(anomaly.receipt),
                kind=anomaly.kind,
                account_id=anomaly.account_id,
                expected_cents=anomaly.expected_cents,
                channel=anomaly.receipt.channel,
            )
            .on_conflict_do_nothing()
        )


def _fields(kept: Receipt) -> dict[str, object]:
    """The columns a receipt and an anomaly share."""
    return {
        "receipt_id": kept.receipt_id,
        "creditor_fiscal_code": kept.creditor_fiscal_code,
        "iuv": kept.iuv,
        "notice_number": kept.notice_number,
        "amount_cents": kept.amount_cents,
        "psp": kept.psp,
        "stand_in": kept.stand_in,
        "paid_at": kept.paid_at,
    }
