"""The reconciliation's reads in PostgreSQL: notices, receipts, anomalies and the outbox's
`payment-received` rows of a span of time."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, String, and_, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from payments.adapters.tables import metadata, payment_notice, receipt, receipt_anomaly
from payments.domain.reconciliation import AnomalyRow, EventRow, NoticeRow, ReceiptRow, TopUpsOfDay
from shared.local_time import ROME

_outbox = metadata.tables["outbox"]


class SqlDayBook:
    def __init__(self, connection: AsyncConnection, payment_received_topic: str) -> None:
        self._connection = connection
        self._topic = payment_received_topic

    async def notices(self, start: datetime, end: datetime) -> list[NoticeRow]:
        n = payment_notice.c
        query = select(
            n.notice_number,
            n.iuv,
            cast(n.account_id, String),
            n.amount_cents,
            n.state,
            cast(n.due_date, String),
            n.receipt_id,
        ).where(or_(_within(n.created_at, start, end), _within(n.closed_at, start, end)))
        return [NoticeRow(*row) for row in await self._connection.execute(query.order_by(n.notice_number))]

    async def receipts(self, start: datetime, end: datetime) -> list[ReceiptRow]:
        r = receipt.c
        query = select(
            r.receipt_id,
            r.notice_number,
            r.iuv,
            cast(r.account_id, String),
            r.amount_cents,
            r.psp,
            r.paid_at,
            r.stand_in,
        ).where(_within(r.received_at, start, end))
        return [
            ReceiptRow(row[0], row[1], row[2], row[3], row[4], row[5], row.paid_at.isoformat(), row.stand_in)
            for row in await self._connection.execute(query.order_by(r.received_at))
        ]

    async def payments_received(self, start: datetime, end: datetime) -> list[EventRow]:
        o = _outbox.c
        query = select(cast(o.event_id, String), o.payload, o.published_at).where(
            o.topic == self._topic, _within(o.created_at, start, end)
        )
        return [
            _event_row(event_id, json.loads(payload)["data"], published_at is not None)
            for event_id, payload, published_at in await self._connection.execute(query.order_by(o.id))
        ]

    async def anomalies(self, start: datetime, end: datetime) -> list[AnomalyRow]:
        a = receipt_anomaly.c
        query = select(
            a.receipt_id, a.kind, a.notice_number, a.amount_cents, a.expected_cents, a.resolved_at.is_not(None)
        ).where(or_(_within(a.received_at, start, end), a.resolved_at.is_(None)))
        return [AnomalyRow(*row) for row in await self._connection.execute(query.order_by(a.received_at))]


class SqlTopUps:
    """Receipts credited per Rome day, online (after a Checkout cart) or at a counter."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def per_day(self, start: datetime, end: datetime) -> list[TopUpsOfDay]:
        day = cast(func.timezone(ROME.key, receipt.c.paid_at), Date).label("day")
        online = payment_notice.c.checkout_started_at.is_not(None)
        query = (
            select(
                day,
                func.coalesce(func.sum(receipt.c.amount_cents).filter(online), 0),
                func.coalesce(func.sum(receipt.c.amount_cents).filter(~online), 0),
            )
            .join(payment_notice, payment_notice.c.notice_number == receipt.c.notice_number)
            .where(_within(receipt.c.paid_at, start, end))
            .group_by(day)
            .order_by(day)
        )
        return [TopUpsOfDay(d, int(on), int(off)) for d, on, off in await self._connection.execute(query)]


def _within(column: ColumnElement[datetime], start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _event_row(event_id: str, data: dict[str, Any], published: bool) -> EventRow:
    return EventRow(event_id, data["receipt_id"], data["account_id"], data["amount_cents"], published)
