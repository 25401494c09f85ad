"""School-year closing: every account enrolled in the year is carried over, refunded or left as
it is (the rules are `accounts.domain.year_end`), in one transaction.

Idempotency: one `year_closing` row per (school year, account), claimed with ON CONFLICT DO
NOTHING; the movements' sources are derived from the same pair. A second run books nothing
and reports what the first did.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from accounts.domain.year_end import Decision, YearEnd, check_closable, decide
from accounts.handlers.book_movements import book_movements
from accounts.handlers.ports import AccountsUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class Closed:
    year_end: YearEnd
    already_closed: bool  # by an earlier run: this one changed nothing


log = logging.getLogger(__name__)


async def close_school_year(
    uow: AccountsUnitOfWork, year: SchoolYear, by: str, today: date, forced_because: str | None = None
) -> list[Closed]:
    """`forced_because`: the reason for closing before the year is over (see `check_closable`)."""
    check_closable(year, today, forced_because)
    if forced_because:
        log.warning("school year closed before its end", extra={"school_year": str(year), "by": by})
    async with uow:
        candidates = await uow.year_closings.candidates(year)
        # Locked: a voucher or adjustment booked now waits, and then finds the year closed.
        balances = await uow.ledger.lock({c.account_id for c in candidates})
        decisions = [decide(c, balances[c.account_id], year, by) for c in candidates]
        fresh = await uow.year_closings.claim(year, [d.year_end for d in decisions])
        earlier = await uow.year_closings.recorded(year, {d.year_end.account_id for d in decisions} - fresh)
        await _apply(uow, balances, [d for d in decisions if d.year_end.account_id in fresh])
        await uow.commit()
    return [_closed(d.year_end, earlier) for d in decisions]


async def _apply(uow: AccountsUnitOfWork, balances: Mapping[uuid.UUID, int], decisions: list[Decision]) -> None:
    await uow.year_closings.add_refunds([d.refund for d in decisions if d.refund is not None])
    await book_movements(uow, balances, [d.movement for d in decisions if d.movement is not None])


def _closed(decided: YearEnd, earlier: Mapping[uuid.UUID, YearEnd]) -> Closed:
    recorded = earlier.get(decided.account_id)
    return Closed(recorded, already_closed=True) if recorded else Closed(decided, already_closed=False)
