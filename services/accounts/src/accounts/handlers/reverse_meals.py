"""Reverses the debit of every meal cancelled after the fact (a correction by the school).

Idempotency: inbox (rule `reverse-meal` in `accounts.consumers`) and the ledger's unique
`("meal-reversal", meal_id)`. The reversal credits exactly what the meal was charged. A meal not
charged yet (its `meal-consumed` is on another topic and may come later) is remembered as
cancelled, and its charge will be skipped. Emits `balance-changed` for each reversal.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from accounts.adapters.ledger_repository import lock_balances
from accounts.adapters.tables import cancelled_meal, ledger_entry
from accounts.domain.ledger import Cause, Movement
from accounts.handlers.book_movements import book_movements
from shared.db import SqlUnitOfWork
from shared.events import MealCancelled


async def reverse_meals(uow: SqlUnitOfWork, cancelled: Sequence[MealCancelled]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    cancellations = {c.meal_id: c for c in cancelled}
    # The same lock as the charge's: see charge_for_meals._not_cancelled.
    balances = await lock_balances(uow.connection, {c.account_id for c in cancellations.values()})
    await uow.connection.execute(
        insert(cancelled_meal)
        .values(
            [{"meal_id": c.meal_id, "account_id": c.account_id, "reason": c.reason} for c in cancellations.values()]
        )
        .on_conflict_do_nothing()
    )
    charged = await uow.connection.execute(
        select(
            ledger_entry.c.source_id,
            ledger_entry.c.account_id,
            ledger_entry.c.amount_cents,
            ledger_entry.c.student_id,
        ).where(
            ledger_entry.c.source == "meal",
            ledger_entry.c.source_id.in_([str(m) for m in cancellations]),
        )
    )
    await book_movements(
        uow,
        [
            Movement(
                account_id=row.account_id,
                cause=Cause.MEAL_REVERSAL,
                amount_cents=-row.amount_cents,
                source="meal-reversal",
                source_id=row.source_id,
                description=f"Storno pasto: {cancellations[uuid.UUID(row.source_id)].reason}",
                student_id=row.student_id,
            )
            for row in charged
        ],
        locked=balances,
    )
