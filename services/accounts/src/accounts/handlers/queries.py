"""The gateway's read side: accounts, movements, searches, debtors, refunds, statements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, enrolment, ledger_entry, refund, student
from accounts.domain.exceptions import AccountNotFound
from accounts.domain.ledger import Cause


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
            enrolment.c.tariff_band,
        )
        .join(enrolment, enrolment.c.student_id == student.c.id, isouter=True)
        .where(student.c.account_id == account_id)
        .order_by(student.c.last_name, student.c.first_name, enrolment.c.school_year)
    )
    return {"account": row._asdict(), "students": [s._asdict() for s in students]}


@dataclass(frozen=True)
class MovementFilter:
    cause: Cause | None = None
    since: date | None = None
    until: date | None = None


async def movements(
    conn: AsyncConnection, account_id: uuid.UUID, where: MovementFilter, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """The estratto conto, newest first: the total matching, and one page."""
    if (await conn.execute(select(account.c.id).where(account.c.id == account_id))).first() is None:
        raise AccountNotFound(account_id)
    conditions = [ledger_entry.c.account_id == account_id]
    if where.cause:
        conditions.append(ledger_entry.c.cause == where.cause.value)
    if where.since:
        conditions.append(ledger_entry.c.booked_at >= datetime.combine(where.since, time.min).astimezone())
    if where.until:
        conditions.append(
            ledger_entry.c.booked_at < datetime.combine(where.until + timedelta(days=1), time.min).astimezone()
        )
    total = await conn.scalar(select(func.count()).select_from(ledger_entry).where(*conditions))
    rows = await conn.execute(
        select(
            ledger_entry.c.id,
            ledger_entry.c.cause,
            ledger_entry.c.amount_cents,
            ledger_entry.c.balance_after_cents,
            ledger_entry.c.description,
            ledger_entry.c.booked_at,
        )
        .where(*conditions)
        .order_by(ledger_entry.c.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    return int(total or 0), [r._asdict() for r in rows]


async def search_families(conn: AsyncConnection, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """By holder's or child's name or codice fiscale (case-insensitive, partial)."""
    like = f"%{text.strip()}%"
    children = select(student.c.account_id).where(
        or_(student.c.tax_code.ilike(like), student.c.last_name.ilike(like), student.c.first_name.ilike(like))
    )
    rows = await conn.execute(
        select(
            account.c.id,
            account.c.holder_first_name,
            account.c.holder_last_name,
            account.c.holder_tax_code,
            account.c.balance_cents,
        )
        .where(
            or_(
                account.c.holder_tax_code.ilike(like),
                account.c.holder_last_name.ilike(like),
                account.c.holder_first_name.ilike(like),
                account.c.id.in_(children),
            )
        )
        .order_by(account.c.holder_last_name, account.c.holder_first_name)
        .limit(limit)
    )
    return [r._asdict() for r in rows]


async def debtors(conn: AsyncConnection) -> list[dict[str, Any]]:
    """Accounts in debt with the amount and since when (the last movement that took them below zero)."""
    crossing = (
        select(ledger_entry.c.account_id, func.max(ledger_entry.c.booked_at).label("since"))
        .where(
            ledger_entry.c.balance_after_cents < 0,
            ledger_entry.c.balance_after_cents - ledger_entry.c.amount_cents >= 0,
        )
        .group_by(ledger_entry.c.account_id)
        .subquery()
    )
    rows = await conn.execute(
        select(
            account.c.id,
            account.c.holder_first_name,
            account.c.holder_last_name,
            account.c.balance_cents,
            crossing.c.since,
        )
        .join(crossing, crossing.c.account_id == account.c.id, isouter=True)
        .where(account.c.balance_cents < 0)
        .order_by(account.c.balance_cents)
    )
    return [r._asdict() for r in rows]


async def refunds_to_pay(conn: AsyncConnection) -> list[dict[str, Any]]:
    rows = await conn.execute(
        select(
            refund.c.id,
            refund.c.account_id,
            refund.c.amount_cents,
            refund.c.iban,
            refund.c.reason,
            refund.c.created_at,
            account.c.holder_first_name,
            account.c.holder_last_name,
        )
        .join(account, account.c.id == refund.c.account_id)
        .where(refund.c.paid_at.is_(None))
        .order_by(refund.c.created_at)
    )
    return [r._asdict() for r in rows]


async def yearly_statement(conn: AsyncConnection, account_id: uuid.UUID, year: int) -> dict[str, Any]:
    """Meals paid per student in a calendar year, and the traceable payments (pagoPA) of that year."""
    summary = await account_summary(conn, account_id)
    start = datetime(year, 1, 1).astimezone()
    end = datetime(year + 1, 1, 1).astimezone()
    in_year = and_(
        ledger_entry.c.account_id == account_id, ledger_entry.c.booked_at >= start, ledger_entry.c.booked_at < end
    )
    meals = await conn.execute(
        select(
            ledger_entry.c.student_id,
            (
                func.count().filter(ledger_entry.c.cause == Cause.MEAL.value)
                - func.count().filter(ledger_entry.c.cause == Cause.MEAL_REVERSAL.value)
            ).label("meals"),
            func.sum(-ledger_entry.c.amount_cents).label("cents"),
        )
        .where(in_year, ledger_entry.c.cause.in_([Cause.MEAL.value, Cause.MEAL_REVERSAL.value]))
        .group_by(ledger_entry.c.student_id)
    )
    traceable = await conn.scalar(
        select(func.coalesce(func.sum(ledger_entry.c.amount_cents), 0)).where(
            in_year, ledger_entry.c.cause == Cause.TOP_UP.value
        )
    )
    return {
        "account": summary["account"],
        "students": {s["id"]: s for s in summary["students"]},
        "meals": [
            {
                "student_id": r.student_id,
                "meals": r.meals,
                "cents": int(r.cents or 0),
            }
            for r in meals
        ],
        "traceable_payments_cents": int(traceable or 0),
    }
