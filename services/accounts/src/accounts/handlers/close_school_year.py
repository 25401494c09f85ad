"""School-year closing, per account enrolled in that year:

- credit, and a child of the family continues next year -> carried over (a zero-amount
  carry-over movement records it in the statement; the balance stays);
- credit, and no child continues -> refunded: a refund to pay to the holder's IBAN, and a refund
  movement bringing the balance to zero;
- debt -> carried over as debt (a zero-amount carry-over movement); zero -> nothing to do.

Idempotency: one `year_closing` row per (school year, account), claimed with ON CONFLICT DO
NOTHING; the movements' sources are derived from the same pair. A second run books nothing
and reports what the first did.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, exists, select
from sqlalchemy.dialects.postgresql import insert

from accounts.adapters.tables import account, enrolment, refund, student, year_closing
from accounts.domain.ledger import Cause, Movement
from accounts.handlers.book_movements import book_movements
from shared.db import SqlUnitOfWork
from shared.money import format_euro


@dataclass(frozen=True)
class Outcome:
    account_id: uuid.UUID
    outcome: str  # carried_over | refunded | nothing
    amount_cents: int
    already_closed: bool


def next_school_year(school_year: str) -> str:
    start = int(school_year[:4]) + 1
    return f"{start}/{start + 1}"


async def close_school_year(uow: SqlUnitOfWork, school_year: str, by: str) -> list[Outcome]:
    conn = uow.connection
    following = next_school_year(school_year)
    continues = (
        exists()
        .where(enrolment.c.student_id == student.c.id, enrolment.c.school_year == following, enrolment.c.active)
        .correlate(student)
    )
    rows = await conn.execute(
        select(
            account.c.id,
            account.c.balance_cents,
            account.c.iban,
            select(student.c.id).where(student.c.account_id == account.c.id, continues).exists().label("continues"),
        )
        .where(
            select(enrolment.c.student_id)
            .join(student, student.c.id == enrolment.c.student_id)
            .where(and_(student.c.account_id == account.c.id, enrolment.c.school_year == school_year))
            .exists()
        )
        .order_by(account.c.id)
        .with_for_update(of=account)
    )
    return [await _close_one(uow, school_year, following, row, by) for row in rows.all()]


async def _close_one(uow: SqlUnitOfWork, year: str, following: str, row: Row[Any], by: str) -> Outcome:
    account_id: uuid.UUID = row.id
    balance: int = row.balance_cents
    iban: str | None = row.iban
    continues: bool = row.continues
    outcome = "nothing" if balance == 0 else ("refunded" if balance > 0 and not continues else "carried_over")
    claimed = await uow.connection.execute(
        insert(year_closing)
        .values(school_year=year, account_id=account_id, outcome=outcome, amount_cents=balance)
        .on_conflict_do_nothing()
        .returning(year_closing.c.outcome)
    )
    if claimed.first() is None:
        stored = (
            await uow.connection.execute(
                select(year_closing.c.outcome, year_closing.c.amount_cents).where(
                    year_closing.c.school_year == year, year_closing.c.account_id == account_id
                )
            )
        ).one()
        return Outcome(account_id, stored.outcome, stored.amount_cents, already_closed=True)
    source_id = f"{year}:{account_id}"
    if outcome == "refunded":
        await uow.connection.execute(
            refund.insert().values(
                id=uuid.uuid4(),
                account_id=account_id,
                amount_cents=balance,
                iban=iban,
                reason=f"Credito residuo a fine anno {year}",
                created_by=by,
            )
        )
        await book_movements(
            uow,
            [
                Movement(
                    account_id,
                    Cause.REFUND,
                    -balance,
                    "year-closing",
                    source_id,
                    f"Rimborso credito residuo anno {year}",
                    author=by,
                )
            ],
        )
    elif outcome == "carried_over":
        what = "Credito" if balance > 0 else "Debito"
        await book_movements(
            uow,
            [
                Movement(
                    account_id,
                    Cause.CARRY_OVER,
                    0,
                    "year-closing",
                    source_id,
                    f"{what} residuo di {format_euro(abs(balance))} riportato al {following}",
                    author=by,
                )
            ],
        )
    return Outcome(account_id, outcome, balance, already_closed=False)
