"""School-year closings and the refunds they leave to pay, on PostgreSQL.

One `year_closing` row per (school year, account), claimed with `ON CONFLICT DO NOTHING` for all
the year's accounts in one statement: closing the year again claims none of them.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import Exists, exists, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, enrolment, refund, student, year_closing
from accounts.domain.year_end import Candidate, Outcome, Refund, YearEnd
from shared.school_year import SchoolYear


class SqlYearClosings:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def candidates(self, year: SchoolYear) -> list[Candidate]:
        rows = await self._conn.execute(
            select(account.c.id, account.c.iban, _enrolled_in(year.next(), active_only=True).label("continues"))
            .where(or_(_enrolled_in(year), _moved_after_leaving(year)))
            .order_by(account.c.id)
        )
        return [Candidate(row.id, row.iban, row.continues) for row in rows]

    async def claim(self, year: SchoolYear, closings: Sequence[YearEnd]) -> set[uuid.UUID]:
        if not closings:
            return set()
        rows = [
            {
                "school_year": str(year),
                "account_id": c.account_id,
                "outcome": c.outcome.value,
                "amount_cents": c.amount_cents,
            }
            for c in closings
        ]
        claimed = await self._conn.execute(
            insert(year_closing).values(rows).on_conflict_do_nothing().returning(year_closing.c.account_id)
        )
        return set(claimed.scalars())

    async def recorded(self, year: SchoolYear, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, YearEnd]:
        if not account_ids:
            return {}
        rows = await self._conn.execute(
            select(year_closing).where(
                year_closing.c.school_year == str(year), year_closing.c.account_id.in_(account_ids)
            )
        )
        return {row.account_id: YearEnd(row.account_id, Outcome(row.outcome), row.amount_cents) for row in rows}

    async def is_closed(self, account_id: uuid.UUID, year: SchoolYear) -> bool:
        found = await self._conn.scalar(
            select(year_closing.c.account_id).where(
                year_closing.c.account_id == account_id, year_closing.c.school_year == str(year)
            )
        )
        return found is not None

    async def add_refunds(self, refunds: Sequence[Refund]) -> None:
        if refunds:
            await self._conn.execute(refund.insert(), [{"id": uuid.uuid4(), **dataclasses.asdict(r)} for r in refunds])


def _enrolled_in(year: SchoolYear, active_only: bool = False) -> Exists:
    """A child of the account (correlated) has an enrolment in `year`."""
    conditions = [student.c.account_id == account.c.id, enrolment.c.school_year == str(year)]
    if active_only:
        conditions.append(enrolment.c.active)
    return exists().where(enrolment.c.student_id == student.c.id, *conditions).correlate(account)


def _moved_after_leaving(year: SchoolYear) -> Exists:
    """The account (correlated) was refunded at the previous year's closing and has a balance
    again: what came after the refund is settled now."""
    previous = str(SchoolYear(year.start - 1))
    return (
        exists()
        .where(
            year_closing.c.account_id == account.c.id,
            year_closing.c.school_year == previous,
            year_closing.c.outcome == Outcome.REFUNDED.value,
            account.c.balance_cents != 0,
        )
        .correlate(account)
    )
