"""What the Scrivania reads from the accounts database: the ledger's latest position, its totals
per month, and each enrolled child with the price of a meal today."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, array_agg
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.pricing import meal_prices
from accounts.adapters.tables import enrolment, ledger_entry, student
from accounts.domain.desk import Child, MonthTotals
from accounts.domain.tariffs import school_year_of
from shared.events import MealConsumed

ZONE = "Europe/Rome"


async def latest_seq(conn: AsyncConnection, account_id: uuid.UUID) -> int:
    """The ledger position of the account: it changes whenever money moves."""
    found = await conn.scalar(select(func.max(ledger_entry.c.seq)).where(ledger_entry.c.account_id == account_id))
    return int(found or 0)


async def month_totals(
    conn: AsyncConnection, account_id: uuid.UUID, since: date
) -> tuple[int, dict[date, MonthTotals]]:
    """The balance before `since`, and per month from then: credits, debits, closing balance."""
    start = datetime.combine(since, time.min, tzinfo=ZoneInfo(ZONE))
    opening = await conn.scalar(
        select(ledger_entry.c.balance_after_cents)
        .where(ledger_entry.c.account_id == account_id, ledger_entry.c.booked_at < start)
        .order_by(ledger_entry.c.seq.desc())
        .limit(1)
    )
    month = func.date_trunc("month", func.timezone(ZONE, ledger_entry.c.booked_at)).label("month")
    rows = await conn.execute(
        select(
            month,
            func.coalesce(func.sum(ledger_entry.c.amount_cents).filter(ledger_entry.c.amount_cents > 0), 0),
            func.coalesce(func.sum(ledger_entry.c.amount_cents).filter(ledger_entry.c.amount_cents < 0), 0),
            array_agg(aggregate_order_by(ledger_entry.c.balance_after_cents, ledger_entry.c.seq.desc()))[1],
        )
        .where(ledger_entry.c.account_id == account_id, ledger_entry.c.booked_at >= start)
        .group_by(month)
    )
    totals = {r[0].date(): MonthTotals(r[0].date(), int(r[1]), int(r[2]), int(r[3])) for r in rows}
    return int(opening or 0), totals


async def children_today(
    conn: AsyncConnection, account_id: uuid.UUID, today: date, default_cents: int, sibling_discount_percent: int
) -> list[Child]:
    """The account's children enrolled this school year, each at the price a meal would cost today."""
    rows = (
        await conn.execute(
            select(student.c.id, student.c.first_name, enrolment.c.school_id, enrolment.c.class_id)
            .join(enrolment, enrolment.c.student_id == student.c.id)
            .where(student.c.account_id == account_id, enrolment.c.active)
            .where(enrolment.c.school_year == school_year_of(today))
            .order_by(student.c.seq)
        )
    ).all()
    # Priced exactly as a meal eaten today would be charged (tariff band, date, sibling rank).
    meals = [
        MealConsumed(
            meal_id=uuid.uuid4(),
            student_id=r.id,
            account_id=account_id,
            school_id=r.school_id,
            class_id=r.class_id,
            service_date=today,
        )
        for r in rows
    ]
    prices = await meal_prices(conn, meals, default_cents, sibling_discount_percent)
    return [Child(r.first_name, r.school_id, r.class_id, prices[m.meal_id]) for r, m in zip(rows, meals, strict=True)]
