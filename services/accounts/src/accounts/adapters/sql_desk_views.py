"""What the Scrivania reads from the ledger and the enrolments, on PostgreSQL: the ledger's
latest position, its totals per month (in Rome time), the children enrolled in a school year."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, array_agg
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import enrolment, ledger_entry, student
from accounts.domain.desk import MonthTotals
from accounts.handlers.read_models import EnrolledChild
from shared.local_time import ROME
from shared.school_year import SchoolYear

ZONE = ROME.key


class SqlDeskViews:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def ledger_position(self, account_id: uuid.UUID) -> int:
        found = await self._conn.scalar(
            select(func.max(ledger_entry.c.seq)).where(ledger_entry.c.account_id == account_id)
        )
        return int(found or 0)

    async def month_totals(self, account_id: uuid.UUID, since: date) -> tuple[int, dict[date, MonthTotals]]:
        start = datetime.combine(since, time.min, tzinfo=ROME)
        opening = await self._conn.scalar(
            select(ledger_entry.c.balance_after_cents)
            .where(ledger_entry.c.account_id == account_id, ledger_entry.c.booked_at < start)
            .order_by(ledger_entry.c.seq.desc())
            .limit(1)
        )
        month = func.date_trunc("month", func.timezone(ZONE, ledger_entry.c.booked_at)).label("month")
        amount = ledger_entry.c.amount_cents
        rows = await self._conn.execute(
            select(
                month,
                func.coalesce(func.sum(amount).filter(amount > 0), 0),
                func.coalesce(func.sum(amount).filter(amount < 0), 0),
                array_agg(aggregate_order_by(ledger_entry.c.balance_after_cents, ledger_entry.c.seq.desc()))[1],
            )
            .where(ledger_entry.c.account_id == account_id, ledger_entry.c.booked_at >= start)
            .group_by(month)
        )
        totals = {r[0].date(): MonthTotals(r[0].date(), int(r[1]), int(r[2]), int(r[3])) for r in rows}
        return int(opening or 0), totals

    async def children_enrolled(self, account_id: uuid.UUID, year: SchoolYear) -> list[EnrolledChild]:
        rows = await self._conn.execute(
            select(student.c.id, student.c.first_name, enrolment.c.school_id, enrolment.c.class_id)
            .join(enrolment, enrolment.c.student_id == student.c.id)
            .where(student.c.account_id == account_id, enrolment.c.active, enrolment.c.school_year == str(year))
            .order_by(student.c.seq)
        )
        return [EnrolledChild(*row) for row in rows]
