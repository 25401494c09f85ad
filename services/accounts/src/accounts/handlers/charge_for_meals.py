"""Debits the account of every meal consumed, at the price valid on its service date.

Idempotency: the consumer wrapper claims the event ids in the inbox (rule `charge-for-meal`, in
`accounts.consumers`) and the ledger's `("meal", meal_id)` is unique, so a meal is charged once
whatever is redelivered or replayed; a meal cancelled before its charge arrived is skipped.
Emits `balance-changed` for each debit. Meals are charged even when the balance goes negative.
The price is decided here and never revised: a later tariff change does not touch meals already
charged.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from accounts.adapters.ledger_repository import lock_balances
from accounts.adapters.pricing import meal_prices
from accounts.adapters.tables import cancelled_meal
from accounts.config import AccountsSettings
from accounts.domain.ledger import Cause, Movement
from accounts.handlers.book_movements import book_movements
from shared.db import SqlUnitOfWork
from shared.events import MealConsumed


async def charge_for_meals(uow: SqlUnitOfWork, meals: Sequence[MealConsumed], settings: AccountsSettings) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    to_charge, balances = await _not_cancelled(uow, list(meals))
    prices = await meal_prices(uow.connection, to_charge, settings.meal_price_cents, settings.sibling_discount_percent)
    await book_movements(
        uow,
        [
            Movement(
                account_id=m.account_id,
                cause=Cause.MEAL,
                amount_cents=-prices[m.meal_id],
                source="meal",
                source_id=str(m.meal_id),
                description=f"Pasto del {m.service_date:%d/%m/%Y}",
                student_id=m.student_id,
            )
            for m in to_charge
        ],
        locked=balances,
    )


async def _not_cancelled(
    uow: SqlUnitOfWork, meals: list[MealConsumed]
) -> tuple[list[MealConsumed], dict[uuid.UUID, int]]:
    """Locks the accounts first: a concurrent reversal either committed its cancellation before
    this reads it, or waits and then finds this charge to reverse. Returns the locked balances."""
    if not meals:
        return [], {}
    balances = await lock_balances(uow.connection, {m.account_id for m in meals})
    query = select(cancelled_meal.c.meal_id).where(cancelled_meal.c.meal_id.in_([m.meal_id for m in meals]))
    cancelled = set((await uow.connection.execute(query)).scalars())
    return [m for m in meals if m.meal_id not in cancelled], balances
