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
from datetime import date

from accounts.domain.meals import meal_charge
from accounts.domain.tariffs import Pricing
from accounts.handlers.book_movements import book_movements
from accounts.handlers.ports import AccountsUnitOfWork
from shared.events import MealConsumed
from shared.school_year import SchoolYear


async def charge_for_meals(uow: AccountsUnitOfWork, meals: Sequence[MealConsumed], pricing: Pricing) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    # The accounts are locked before the cancellations are read: a concurrent reversal either
    # committed its cancellation before this reads it, or waits and then finds this charge.
    balances = await uow.ledger.lock({m.account_id for m in meals})
    cancelled = await uow.cancellations.among({m.meal_id for m in meals})
    to_charge = [m for m in meals if m.meal_id not in cancelled]
    prices = await meal_prices(uow, to_charge, pricing)
    await book_movements(uow, balances, [meal_charge(m, prices[m.meal_id]) for m in to_charge])


async def meal_prices(uow: AccountsUnitOfWork, meals: Sequence[MealConsumed], pricing: Pricing) -> dict[uuid.UUID, int]:
    """Each meal's price, by its meal id."""
    prices = await prices_of(uow, pricing, [(m.account_id, m.student_id, m.service_date) for m in meals])
    return dict(zip([m.meal_id for m in meals], prices, strict=True))


async def prices_of(
    uow: AccountsUnitOfWork, pricing: Pricing, meals: Sequence[tuple[uuid.UUID, uuid.UUID, date]]
) -> list[int]:
    """The price of a meal of each `(account, student, day)`, from the child's enrolment and the
    tariffs of that day's school year (also what the Scrivania reckons a meal today costs)."""
    if not meals:
        return []
    years = {SchoolYear.of(day) for _, _, day in meals}
    enrolled = await uow.tariffs.enrolled_bands({a for a, _, _ in meals}, {s for _, s, _ in meals}, years)
    prices = await uow.tariffs.prices(years)
    return [pricing.meal_price(day, enrolled.get((s, SchoolYear.of(day))), prices) for _, s, day in meals]
