"""What closing a school year would do, family by family, before it is done: the very rules
the closing books (`accounts.domain.year_end.decide`), on the balances as they are now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accounts.domain.users import Permission, Principal, require
from accounts.domain.year_end import Candidate, ClosingJob, Decision, Totals, closing_opens, decide, totals
from accounts.handlers.ports import AccountsUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class PreviewLine:
    family: Candidate
    decision: Decision


@dataclass(frozen=True)
class YearPreview:
    year: SchoolYear
    lines: list[PreviewLine]
    totals: Totals
    opens: date  # the first day the year closes without being forced
    job: ClosingJob | None  # the year's closing, if already started

    def early(self, today: date) -> bool:
        return today < self.opens


async def preview_closing(uow: AccountsUnitOfWork, who: Principal, year: SchoolYear) -> YearPreview:
    require(who, Permission.MONEY)
    async with uow:
        job = await uow.year_closings.job(year)
        families = await uow.year_closings.candidates(year)
    lines = [PreviewLine(f, decide(f, f.balance_cents, year, who.name)) for f in families]
    sums = totals((line.decision.year_end, line.family.iban) for line in lines)
    return YearPreview(year, lines, sums, closing_opens(year), job)
