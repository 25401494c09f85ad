"""The delivery log and the projections it reads, on PostgreSQL (SQLAlchemy Core).

The unique key `(rule, cause_id, channel, account_id)` is what makes a cause produce at most one
message per channel and family: a redelivered event, a second reminder run or two replicas
racing all insert with `ON CONFLICT DO NOTHING`.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, and_, case, cast, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.tables import contact, delivery, enrolment
from notifications.domain.delivery import WAITING, ContactCard, State
from notifications.domain.rules import Rule


async def contacts(conn: AsyncConnection, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, ContactCard]:
    if not account_ids:
        return {}
    rows = await conn.execute(
        select(
            contact.c.account_id, contact.c.email, contact.c.phone, contact.c.email_opt_out, contact.c.sms_opt_out
        ).where(contact.c.account_id.in_(list(account_ids)))
    )
    return {r.account_id: ContactCard(r.email, r.phone, r.email_opt_out, r.sms_opt_out) for r in rows}


async def surnames(conn: AsyncConnection, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = {}
    if account_ids:
        query = select(enrolment.c.account_id, enrolment.c.last_name).where(
            enrolment.c.account_id.in_(list(account_ids))
        )
        for row in await conn.execute(query):
            found.setdefault(row.account_id, []).append(row.last_name)
    return found


_CHUNK = 1000  # rows per INSERT: PostgreSQL takes at most 32767 parameters per statement


async def enqueue(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> int:
    """Inserts the messages not logged yet; returns how many were new."""
    new = 0
    for start in range(0, len(rows), _CHUNK):
        statement = insert(delivery).values(list(rows[start : start + _CHUNK]))
        result = await conn.execute(
            statement.on_conflict_do_nothing(constraint="uq_delivery_cause").returning(delivery.c.id)
        )
        new += len(result.all())
    return new


async def lock_due(conn: AsyncConnection, now: datetime, limit: int) -> Sequence[RowMapping]:
    """Waiting messages whose time has come, locked for this transaction (replicas skip them)."""
    query = (
        select(delivery, contact.c.email, contact.c.phone, contact.c.email_opt_out, contact.c.sms_opt_out)
        .outerjoin(contact, contact.c.account_id == delivery.c.account_id)
        .where(
            delivery.c.state.in_([s.value for s in WAITING]),
            or_(delivery.c.not_before.is_(None), delivery.c.not_before <= now),
        )
        .order_by(delivery.c.id)
        .limit(limit)
        .with_for_update(of=delivery, skip_locked=True)
    )
    return (await conn.execute(query)).mappings().all()


_FINAL = (State.SENT, State.FAILED, State.SUPPRESSED_OPT_OUT)
# A password-reset link is not kept once its message is done with, however it ended.
_FORGET_SECRETS = case(
    (delivery.c.rule == Rule.PASSWORD_RESET.value, cast(literal("{}"), JSONB)), else_=delivery.c.params
)


def _finalised(values: dict[str, Any]) -> dict[str, Any]:
    """What every final state also means: nothing more to wait for, no secret kept."""
    if values.get("state") in _FINAL:
        values.setdefault("not_before", None)
        values.setdefault("params", _FORGET_SECRETS)
    return values


async def change(conn: AsyncConnection, delivery_id: int, expected: State | None = None, **values: Any) -> bool:
    """Moves one message on; with `expected`, only if it is still in that state."""
    query = update(delivery).where(delivery.c.id == delivery_id)
    if expected is not None:
        query = query.where(delivery.c.state == expected.value)
    result = await conn.execute(query.values(**_finalised(values), updated_at=func.now()))
    return bool(result.rowcount)


async def abandon_stale(conn: AsyncConnection, started_before: datetime) -> int:
    """Messages left 'sending' by a process that died mid-send: failed, never resent (at most once)."""
    result = await conn.execute(
        update(delivery)
        .where(and_(delivery.c.state == State.SENDING.value, delivery.c.sending_at < started_before))
        .values(
            **_finalised({"state": State.FAILED, "last_error": "invio interrotto: esito sconosciuto, non ripetuto"}),
            updated_at=func.now(),
        )
    )
    return int(result.rowcount or 0)


async def log_of(conn: AsyncConnection, account_id: uuid.UUID, limit: int) -> Sequence[RowMapping]:
    query = select(delivery).where(delivery.c.account_id == account_id).order_by(delivery.c.id.desc()).limit(limit)
    return (await conn.execute(query)).mappings().all()
