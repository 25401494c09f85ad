"""School-year closings and the refunds they leave to pay, on PostgreSQL.

One `year_closing` row per (school year, account), claimed with `ON CONFLICT DO NOTHING` for a
batch of accounts in one statement; the candidates are the accounts without one, so closing the
year again finds none (or only those enrolled since). One `year_closing_job` row per year.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Exists, Row, and_, exists, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, enrolment, refund, student, year_closing, year_closing_job
from accounts.domain.year_end import Candidate, ClosingJob, JobState, Outcome, Refund, YearEnd
from shared.school_year import SchoolYear

CHANNEL = "year_closing"  # NOTIFY'd when a job starts: the closing loop listens (`shared...Listener`)


class SqlYearClosings:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def candidates(
        self, year: SchoolYear, after: uuid.UUID | None = None, limit: int | None = None
    ) -> list[Candidate]:
        continues = _enrolled_in(year.next(), active_only=True).label("continues")
        holder = (account.c.holder_first_name + " " + account.c.holder_last_name).label("holder")
        query = select(account.c.id, account.c.iban, continues, holder, account.c.balance_cents).where(_candidate(year))
        if after is not None:
            query = query.where(account.c.id > after)
        rows = await self._conn.execute(query.order_by(account.c.id).limit(limit))
        return [Candidate(row.id, row.iban, row.continues, row.holder, row.balance_cents) for row in rows]

    async def count_candidates(self, year: SchoolYear) -> int:
        return int(await self._conn.scalar(select(func.count()).select_from(account).where(_candidate(year))) or 0)

    async def start(self, job: ClosingJob) -> bool:
        row = _job_row(job)
        started = await self._conn.execute(
            insert(year_closing_job)
            .values(row)
            .on_conflict_do_update(
                index_elements=[year_closing_job.c.school_year],
                set_=row,
                where=year_closing_job.c.state == JobState.DONE.value,
            )
            .returning(year_closing_job.c.state)
        )
        if started.first() is None:
            return False
        await self._conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})  # sent at commit
        return True

    async def job(self, year: SchoolYear) -> ClosingJob | None:
        row = (await self._conn.execute(select(year_closing_job).where(_job_of(year)))).first()
        return _job(row) if row else None

    async def next_job(self) -> ClosingJob | None:
        query = (
            select(year_closing_job)
            .where(year_closing_job.c.state == JobState.RUNNING.value)
            .order_by(year_closing_job.c.started_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        row = (await self._conn.execute(query)).first()
        return _job(row) if row else None

    async def advance(self, year: SchoolYear, closed: int, last_account_id: uuid.UUID) -> None:
        values = {"done": year_closing_job.c.done + closed, "last_account_id": last_account_id}
        await self._conn.execute(update(year_closing_job).where(_job_of(year)).values(values))

    async def finish(self, year: SchoolYear) -> None:
        done = {"state": JobState.DONE.value, "finished_at": func.now(), "total": year_closing_job.c.done}
        await self._conn.execute(update(year_closing_job).where(_job_of(year)).values(done))

    async def ends(self, year: SchoolYear) -> list[tuple[YearEnd, str | None]]:
        rows = await self._conn.execute(
            select(year_closing, account.c.iban)
            .join(account, account.c.id == year_closing.c.account_id)
            .where(year_closing.c.school_year == str(year))
            .order_by(year_closing.c.account_id)
        )
        return [(YearEnd(row.account_id, Outcome(row.outcome), row.amount_cents), row.iban) for row in rows]

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


def _candidate(year: SchoolYear) -> ColumnElement[bool]:
    """An account to close: enrolled in `year` (or refunded the year before and moved since),
    and not closed for `year` yet."""
    closed = exists().where(year_closing.c.account_id == account.c.id, year_closing.c.school_year == str(year))
    return and_(or_(_enrolled_in(year), _moved_after_leaving(year)), ~closed.correlate(account))


def _job_of(year: SchoolYear) -> ColumnElement[bool]:
    return year_closing_job.c.school_year == str(year)


def _job_row(job: ClosingJob) -> dict[str, object]:
    row = {f.name: getattr(job, f.name) for f in dataclasses.fields(job) if f.name not in ("year", "state")}
    return row | {"school_year": str(job.year), "state": job.state.value}


def _job(row: Row[Any]) -> ClosingJob:
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(ClosingJob) if f.name not in ("year", "state")}
    return ClosingJob(year=SchoolYear.parse(row.school_year), state=JobState(row.state), **values)


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
