"""What closing a school year does to one account, decided from its balance. Pure.

- credit, and a child of the family continues next year -> carried over (a zero-amount
  carry-over movement records it in the statement; the balance stays);
- credit, and no child continues -> refunded: a refund to pay to the holder's IBAN, and a refund
  movement bringing the balance to zero;
- debt -> carried over as debt (a zero-amount carry-over movement); zero -> nothing to do.

The movements' source is `("year-closing", "<year>:<account>")`: closing twice books once.

A year closes from 1 July of its second calendar year (the canteen serves with the lessons, which
end in June); earlier only when forced, with a reason, by staff who may decide on money. After the
closing, movements keep coming (a late receipt, a correction, a meal of the last days): they are
booked on the account like any other, never refused, and belong to the new year; the credit of a
family that left and was refunded is settled by the next year's closing.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from accounts.domain.exceptions import YearNotOver
from accounts.domain.ledger import Cause, Movement
from shared.money import format_euro
from shared.school_year import SchoolYear

SOURCE = "year-closing"


class Outcome(StrEnum):
    CARRIED_OVER = "carried_over"
    REFUNDED = "refunded"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Candidate:
    """An account with an enrolment in the year being closed."""

    account_id: uuid.UUID
    iban: str | None
    continues: bool  # a child of the family is enrolled (active) in the following year
    holder: str = ""
    balance_cents: int = 0  # as read, unlocked: the preview's (the closing decides on the locked one)


@dataclass(frozen=True)
class YearEnd:
    """What the closing of a year recorded for one account."""

    account_id: uuid.UUID
    outcome: Outcome
    amount_cents: int  # the balance at the closing


@dataclass(frozen=True)
class Refund:
    account_id: uuid.UUID
    amount_cents: int
    iban: str | None
    reason: str
    created_by: str


@dataclass(frozen=True)
class Decision:
    year_end: YearEnd
    movement: Movement | None = None
    refund: Refund | None = None


def closing_opens(year: SchoolYear) -> date:
    return date(year.start + 1, 7, 1)


def check_closable(year: SchoolYear, today: date, forced_because: str | None) -> None:
    """Refuses a closing before the year is over, unless forced with a reason."""
    if today < closing_opens(year) and not (forced_because and forced_because.strip()):
        raise YearNotOver(str(year), closing_opens(year))


def decide(candidate: Candidate, balance_cents: int, year: SchoolYear, by: str) -> Decision:
    if balance_cents == 0:
        return Decision(YearEnd(candidate.account_id, Outcome.NOTHING, 0))
    if balance_cents > 0 and not candidate.continues:
        return _refund(candidate, balance_cents, year, by)
    return _carry_over(candidate.account_id, balance_cents, year, by)


def _refund(candidate: Candidate, balance_cents: int, year: SchoolYear, by: str) -> Decision:
    account_id = candidate.account_id
    return Decision(
        YearEnd(account_id, Outcome.REFUNDED, balance_cents),
        Movement(
            account_id,
            Cause.REFUND,
            -balance_cents,
            SOURCE,
            f"{year}:{account_id}",
            f"Rimborso credito residuo anno {year}",
            author=by,
        ),
        Refund(account_id, balance_cents, candidate.iban, f"Credito residuo a fine anno {year}", by),
    )


def _carry_over(account_id: uuid.UUID, balance_cents: int, year: SchoolYear, by: str) -> Decision:
    what = "Credito" if balance_cents > 0 else "Debito"
    return Decision(
        YearEnd(account_id, Outcome.CARRIED_OVER, balance_cents),
        Movement(
            account_id,
            Cause.CARRY_OVER,
            0,
            SOURCE,
            f"{year}:{account_id}",
            f"{what} residuo di {format_euro(abs(balance_cents))} riportato al {year.next()}",
            author=by,
        ),
    )


class JobState(StrEnum):
    RUNNING = "running"
    DONE = "done"


@dataclass(frozen=True)
class ClosingJob:
    """The closing of a year under way or over: its accounts go in batches, in account order."""

    year: SchoolYear
    state: JobState
    total: int  # the candidates when it started (late enrolments may add a few)
    done: int
    started_by: str
    started_by_user_id: uuid.UUID | None
    started_by_role: str
    forced_because: str | None
    started_at: datetime
    finished_at: datetime | None = None
    last_account_id: uuid.UUID | None = None  # the batches' cursor

    @property
    def percent(self) -> int:
        if self.state is JobState.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


@dataclass(frozen=True)
class Tally:
    families: int = 0
    cents: int = 0

    def plus(self, cents: int) -> Tally:
        return Tally(self.families + 1, self.cents + cents)


@dataclass(frozen=True)
class Totals:
    """What a closing does (or did), summed over the families."""

    refunded: Tally = Tally()
    without_iban: Tally = Tally()  # refunds that cannot go in the transfer file
    credit_carried: Tally = Tally()
    debt_carried: Tally = Tally()
    nothing: Tally = Tally()


def totals(ends: Iterable[tuple[YearEnd, str | None]]) -> Totals:
    """Sums the year ends (each with the IBAN its refund goes to)."""
    sums = Totals()
    for end, iban in ends:
        added = {key: getattr(sums, key).plus(abs(end.amount_cents)) for key in _kinds(end, iban)}
        sums = dataclasses.replace(sums, **added)
    return sums


def _kinds(end: YearEnd, iban: str | None) -> list[str]:
    if end.outcome is Outcome.REFUNDED:
        return ["refunded"] if iban else ["refunded", "without_iban"]
    if end.outcome is Outcome.CARRIED_OVER:
        return ["credit_carried" if end.amount_cents > 0 else "debt_carried"]
    return ["nothing"]
