"""School-year closing: every account enrolled in the year is carried over, refunded or left as
it is (the rules are `accounts.domain.year_end`), as a job recorded in the database.

`start_closing` (a responsabile's, audited) records the year's job, one per year: starting it
again changes nothing and answers the job as it is, unless accounts were enrolled in the year
since its closing (then the job runs again, for them only). `close_next_batch` is the background task's
step: the next accounts of a running job, in account order, in one transaction that locks them,
books their closing and moves the job on. A process killed mid-batch loses that transaction
only: the next step starts again after the last account committed, and nothing is booked twice
anyway (one `year_closing` row per (school year, account), claimed with ON CONFLICT DO NOTHING;
the movements' sources are derived from the same pair).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date

from accounts.domain.audit import Action, entry
from accounts.domain.exceptions import ForcedClosingNotAllowed
from accounts.domain.users import Permission, Principal, Role, require
from accounts.domain.year_end import (
    Candidate,
    ClosingJob,
    Decision,
    JobState,
    Totals,
    check_closable,
    closing_opens,
    decide,
    totals,
)
from accounts.handlers.book_movements import book_movements
from accounts.handlers.ports import AccountsUnitOfWork
from shared import local_time
from shared.school_year import SchoolYear

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Started:
    job: ClosingJob
    already: bool  # the year had its job: this call changed nothing


async def start_closing(
    uow: AccountsUnitOfWork, year: SchoolYear, who: Principal, today: date, forced_because: str | None = None
) -> Started:
    """`forced_because`: the reason for closing before the year is over (see `check_closable`)."""
    require(who, Permission.MONEY)
    check_closable(year, today, forced_because)
    early = today < closing_opens(year)
    reason = forced_because.strip() if early and forced_because else None  # after 1 July, no forcing
    if reason and who.user_id is None:
        raise ForcedClosingNotAllowed()  # a person (a responsabile) answers for it, not automation
    async with uow:
        existing = await uow.year_closings.job(year)
        to_close = await uow.year_closings.count_candidates(year)
        if existing is not None and (existing.state is JobState.RUNNING or to_close == 0):
            return Started(existing, already=True)
        job = ClosingJob(
            year,
            JobState.RUNNING,
            to_close,
            0,
            who.name or "Automazione",
            who.user_id,
            who.role.value,
            reason,
            local_time.now(),
        )
        if not await uow.year_closings.start(job):  # another start won the race: its job it is
            return Started(await _job(uow, year), already=True)
        await uow.audit.record(entry(who, Action.SCHOOL_YEAR_CLOSING_STARTED, year, after=_size(job), reason=reason))
        await uow.commit()
    if reason:
        log.warning("school year closing started before its end", extra={"school_year": str(year)})
    return Started(job, already=False)


async def close_next_batch(uow: AccountsUnitOfWork, size: int) -> bool:
    """One batch of a running job (or its end); False when no job is running here."""
    async with uow:
        job = await uow.year_closings.next_job()
        if job is None:
            return False
        batch = await uow.year_closings.candidates(job.year, job.last_account_id, size)
        if batch:
            await _close(uow, job, batch)
        else:
            await _finish(uow, job)
        await uow.commit()
    return True


async def closing_job(uow: AccountsUnitOfWork, who: Principal, year: SchoolYear) -> tuple[ClosingJob | None, Totals]:
    """The year's job, if any, and what its closing booked so far."""
    require(who, Permission.MONEY)
    async with uow:
        return await uow.year_closings.job(year), totals(await uow.year_closings.ends(year))


async def _close(uow: AccountsUnitOfWork, job: ClosingJob, batch: Sequence[Candidate]) -> None:
    # Locked: a voucher or adjustment booked now waits, and then finds the year closed.
    balances = await uow.ledger.lock({c.account_id for c in batch})
    decisions = [decide(c, balances[c.account_id], job.year, job.started_by) for c in batch]
    fresh = await uow.year_closings.claim(job.year, [d.year_end for d in decisions])
    await _apply(uow, balances, [d for d in decisions if d.year_end.account_id in fresh])
    await uow.year_closings.advance(job.year, len(batch), batch[-1].account_id)


async def _finish(uow: AccountsUnitOfWork, job: ClosingJob) -> None:
    booked = totals(await uow.year_closings.ends(job.year))
    await uow.year_closings.finish(job.year)
    counts = {f.name: getattr(booked, f.name).families for f in fields(booked)}
    starter = Principal(job.started_by_user_id, Role(job.started_by_role), name=job.started_by)
    await uow.audit.record(entry(starter, Action.SCHOOL_YEAR_CLOSED, job.year, after=counts, reason=job.forced_because))


async def _apply(uow: AccountsUnitOfWork, balances: Mapping[uuid.UUID, int], decisions: list[Decision]) -> None:
    await uow.year_closings.add_refunds([d.refund for d in decisions if d.refund is not None])
    await book_movements(uow, balances, [d.movement for d in decisions if d.movement is not None])


async def _job(uow: AccountsUnitOfWork, year: SchoolYear) -> ClosingJob:
    job = await uow.year_closings.job(year)
    assert job is not None, "a start that lost the race finds the winner's job"
    return job


def _size(job: ClosingJob) -> dict[str, int]:
    return {"accounts": job.total}
