"""Read side of the gateway: an account with its students and balance, and its movements."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, enrolment, ledger_entry, student
from accounts.domain.exceptions import AccountNotFound


async def account_summary(conn: AsyncConnection, account_id: uuid.UUID) -> dict[str, Any]:
    row = (await conn.execute(select(account).where(account.c.id == account_id))).first()
    if row is None:
        raise AccountNotFound(account_id)
    students = await conn.execute(
        select(
            student.c.id,
            student.c.first_name,
            student.c.last_name,
            enrolment.c.school_year,
            enrolment.c.school_id,
            enrolment.c.class_id,
            enrolment.c.active,
        )
        .join(enrolment, enrolment.c.student_id == student.c.id, isouter=True)
        .where(student.c.account_id == account_id)
        .order_by(student.c.last_name, student.c.first_name, enrolment.c.school_year)
    )
    return {"account": row._asdict(), "students": [s._asdict() for s in students]}


async def movements(conn: AsyncConnection, account_id: uuid.UUID, limit: int, offset: int) -> list[dict[str, Any]]:
    if (await conn.execute(select(account.c.id).where(account.c.id == account_id))).first() is None:
        raise AccountNotFound(account_id)
    rows = await conn.execute(
        select(
            ledger_entry.c.id,
            ledger_entry.c.cause,
            ledger_entry.c.amount_cents,
            ledger_entry.c.balance_after_cents,
            ledger_entry.c.description,
            ledger_entry.c.booked_at,
        )
        .where(ledger_entry.c.account_id == account_id)
        .order_by(ledger_entry.c.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    return [r._asdict() for r in rows]
