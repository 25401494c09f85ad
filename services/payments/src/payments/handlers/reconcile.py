"""The day's reconciliation report (Europe/Rome day). Reads only; emits nothing.

Rows in the report: notices created or closed that day, receipts received that day, the
`payment-received` events queued that day (from the outbox, published or not), and anomalies
received that day or still unresolved.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, and_, cast, or_, select

from payments.adapters.tables import metadata, payment_notice, receipt, receipt_anomaly
from payments.domain.reconciliation import AnomalyRow, EventRow, NoticeRow, ReceiptRow, Report
from shared.db import SqlUnitOfWork
from shared.topics import Topic

ROME = ZoneInfo("Europe/Rome")


async def reconcile(uow: SqlUnitOfWork, day: date, topic_prefix: str) -> Report:
    start = datetime.combine(day, time(), ROME)
    end = start + timedelta(days=1)
    return Report(
        day=day.isoformat(),
        notices=await _notices(uow, start, end),
        receipts=await _receipts(uow, start, end),
        events=await _events(uow, start, end, topic_prefix + Topic.PAYMENT_RECEIVED.value),
        anomalies=await _anomalies(uow, start, end),
    )


def _within(column: ColumnElement[datetime], start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


async def _notices(uow: SqlUnitOfWork, start: datetime, end: datetime) -> list[NoticeRow]:
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
    return [NoticeRow(*row) for row in await uow.connection.execute(query.order_by(n.notice_number))]


async def _receipts(uow: SqlUnitOfWork, start: datetime, end: datetime) -> list[ReceiptRow]:
    r = receipt.c
    query = select(
        r.receipt_id, r.notice_number, r.iuv, cast(r.account_id, String), r.amount_cents, r.psp, r.paid_at, r.stand_in
    ).where(_within(r.received_at, start, end))
    return [
        ReceiptRow(row[0], row[1], row[2], row[3], row[4], row[5], row.paid_at.isoformat(), row.stand_in)
        for row in await uow.connection.execute(query.order_by(r.received_at))
    ]


async def _events(uow: SqlUnitOfWork, start: datetime, end: datetime, topic: str) -> list[EventRow]:
    o = metadata.tables["outbox"].c
    query = select(cast(o.event_id, String), o.payload, o.published_at).where(
        o.topic == topic, _within(o.created_at, start, end)
    )
    rows = []
    for event_id, payload, published_at in await uow.connection.execute(query.order_by(o.id)):
        data = json.loads(payload)["data"]
        rows.append(
            EventRow(event_id, data["receipt_id"], data["account_id"], data["amount_cents"], published_at is not None)
        )
    return rows


async def _anomalies(uow: SqlUnitOfWork, start: datetime, end: datetime) -> list[AnomalyRow]:
    a = receipt_anomaly.c
    query = select(
        a.receipt_id, a.kind, a.notice_number, a.amount_cents, a.expected_cents, a.resolved_at.is_not(None)
    ).where(or_(_within(a.received_at, start, end), a.resolved_at.is_(None)))
    return [AnomalyRow(*row) for row in await uow.connection.execute(query.order_by(a.received_at))]
