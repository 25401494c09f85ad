"""Money the office moves by hand: paper vouchers, adjustments, refunds.

Each is one ledger movement (and its `balance-changed`) in the caller's transaction; the caller
makes them idempotent with an Idempotency-Key. None is accepted on a school year already closed
for that account.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from accounts.adapters.ledger_repository import lock_balances
from accounts.adapters.tables import student, year_closing
from accounts.domain.exceptions import AccountNotFound, StudentNotFound, YearClosed
from accounts.domain.ledger import Cause, Movement, Posted
from accounts.domain.tariffs import school_year_of
from accounts.handlers.book_movements import book_movements
from shared.db import SqlUnitOfWork
from shared.money import format_euro


async def record_paper_vouchers(
    uow: SqlUnitOfWork, account_id: uuid.UUID, student_id: uuid.UUID, count: int, unit_cents: int, day: date, by: str
) -> Posted:
    """The letter's return form: student, number of vouchers, unit value, date, who received them."""
    owner = await uow.connection.scalar(select(student.c.account_id).where(student.c.id == student_id))
    if owner != account_id:
        raise StudentNotFound()
    return await _book(
        uow,
        account_id,
        day,
        Cause.PAPER_VOUCHERS,
        count * unit_cents,
        f"Buoni pasto cartacei: {count} × {format_euro(unit_cents)}",
        by,
        student_id,
    )


async def adjust(
    uow: SqlUnitOfWork, account_id: uuid.UUID, amount_cents: int, reason: str, by: str, day: date
) -> Posted:
    return await _book(uow, account_id, day, Cause.ADJUSTMENT, amount_cents, f"Rettifica: {reason}", by)


async def _book(
    uow: SqlUnitOfWork,
    account_id: uuid.UUID,
    day: date,
    cause: Cause,
    cents: int,
    text: str,
    by: str,
    student_id: uuid.UUID | None = None,
) -> Posted:
    balances = await ensure_year_open(uow, account_id, day)
    movement = Movement(account_id, cause, cents, cause.value, str(uuid.uuid4()), text, student_id, by)
    posted = await book_movements(uow, [movement], locked=balances)
    return posted[0]


async def ensure_year_open(uow: SqlUnitOfWork, account_id: uuid.UUID, day: date) -> dict[uuid.UUID, int]:
    """Returns the account's balance, locked: a year closing running now finishes first, and is
    then seen by the check."""
    balances = await lock_balances(uow.connection, {account_id})
    if not balances:
        raise AccountNotFound(account_id)
    year = school_year_of(day)
    closed = await uow.connection.scalar(
        select(year_closing.c.account_id).where(
            year_closing.c.account_id == account_id, year_closing.c.school_year == year
        )
    )
    if closed is not None:
        raise YearClosed(year)
    return balances
