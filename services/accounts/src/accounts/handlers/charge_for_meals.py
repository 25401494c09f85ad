"""Debits the account of every meal consumed, at the price valid on its service date.

Idempotency: the consumer wrapper claims the event ids in the inbox (rule `charge-for-meal`, in
`accounts.consumers`) and the ledger's `("meal", meal_id)` is unique, so a meal is charged once
whatever is redelivered or replayed; a meal cancelled before its charge arrived is skipped.
Emits `balance-changed` for each debit. Meals are charged even when the balance goes negative.
The price is decided here, from the child's enrolment and the tariffs valid on the service date
(`domain.tariffs`), and never revised: each debit names the tariff rows that priced it, which
then never change, and a later tariff is a new row.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from accounts.domain.meals import meal_charge
from accounts.domain.tariffs import EnrolmentChange, Priced, Pricing, enrolled_on
from accounts.handlers.book_movements import book_movements
from accounts.handlers.ports import AccountsUnitOfWork
from shared.events import MealConsumed
from shared.school_year import SchoolYear

MealOf = tuple[uuid.UUID, uuid.UUID, date]  # (account, student, service date)


async def charge_for_meals(uow: AccountsUnitOfWork, meals: Sequence[MealConsumed], pricing: Pricing) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    # The accounts are locked before the cancellations are read: a concurrent reversal either
    # committed its cancellation before this reads it, or waits and then finds this charge.
    balances = await uow.ledger.lock({m.account_id for m in meals})
    cancelled = await uow.cancellations.among({m.meal_id for m in meals})
    to_charge = [m for m in meals if m.meal_id not in cancelled]
    priced = await price_meals(uow, pricing, [_of(m) for m in to_charge], lock=True)
    await book_movements(uow, balances, [meal_charge(m, p) for m, p in zip(to_charge, priced, strict=True)])


async def meal_prices(uow: AccountsUnitOfWork, meals: Sequence[MealConsumed], pricing: Pricing) -> dict[uuid.UUID, int]:
    """Each meal's price, by its meal id."""
    priced = await price_meals(uow, pricing, [_of(m) for m in meals])
    return {m.meal_id: p.cents for m, p in zip(meals, priced, strict=True)}


async def prices_of(uow: AccountsUnitOfWork, pricing: Pricing, meals: Sequence[MealOf]) -> list[int]:
    """The price of a meal of each `(account, student, day)` (what the Scrivania reckons a meal
    today costs)."""
    return [p.cents for p in await price_meals(uow, pricing, meals)]


async def price_meals(
    uow: AccountsUnitOfWork, pricing: Pricing, meals: Sequence[MealOf], lock: bool = False
) -> list[Priced]:
    """Each meal priced from the child's enrolment and the tariffs of its day; `lock` keeps the
    tariff rows as read until the charge commits (a tariff change waits, then sees the charge)."""
    if not meals:
        return []
    years = {SchoolYear.of(day) for _, _, day in meals}
    history: dict[tuple[uuid.UUID, SchoolYear], list[EnrolmentChange]] = defaultdict(list)
    for change in await uow.tariffs.enrolment_history({a for a, _, _ in meals}, years):
        history[(change.account_id, change.school_year)].append(change)
    book = await uow.tariffs.book(years, lock="share" if lock else None)
    return [
        pricing.priced(day, enrolled_on(history[(a, SchoolYear.of(day))], s, day), book.prices, book.discounts)
        for a, s, day in meals
    ]


def _of(meal: MealConsumed) -> MealOf:
    return (meal.account_id, meal.student_id, meal.service_date)
