"""Reverses the debit of every meal cancelled after the fact (a correction by the school).

Idempotency: inbox (rule `reverse-meal` in `accounts.consumers`) and the ledger's unique
`("meal-reversal", meal_id)`. The reversal credits exactly what the meal was charged. A meal not
charged yet (its `meal-consumed` is on another topic and may come later) is remembered as
cancelled, and its charge will be skipped. Emits `balance-changed` for each reversal.
"""

from __future__ import annotations

from collections.abc import Sequence

from accounts.domain.meals import MEAL, meal_of, meal_reversal
from accounts.handlers.book_movements import book_movements
from accounts.handlers.ports import AccountsUnitOfWork
from shared.events import MealCancelled


async def reverse_meals(uow: AccountsUnitOfWork, cancelled: Sequence[MealCancelled]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    cancellations = {c.meal_id: c for c in cancelled}
    # The same lock as the charge's, taken before the same reads: see `charge_for_meals`.
    balances = await uow.ledger.lock({c.account_id for c in cancellations.values()})
    await uow.cancellations.record(list(cancellations.values()))
    charged = await uow.ledger.movements_of(MEAL, [str(m) for m in cancellations])
    await book_movements(
        uow, balances, [meal_reversal(charge, cancellations[meal_of(charge)].reason) for charge in charged]
    )
