"""Debits the account of every meal consumed.

Idempotency: the inbox claims the event ids (consumer `accounts.charge-for-meal`) and the ledger's
`("meal", meal_id)` is unique, so a meal is charged once whatever is redelivered or replayed.
Emits `balance-changed` for each debit. Meals are charged even when the balance goes negative.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from accounts.domain.ledger import Cause, Movement
from accounts.handlers.book_movements import book_movements
from shared.db import UnitOfWork
from shared.events import Envelope, MealConsumed

CONSUMER = "accounts.charge-for-meal"


async def charge_for_meals(
    envelopes: Sequence[Envelope[MealConsumed]],
    unit_of_work: Callable[[], UnitOfWork],
    meal_price_cents: int,
) -> None:
    async with unit_of_work() as uow:
        fresh = await uow.claim(CONSUMER, [e.event_id for e in envelopes])
        await book_movements(
            uow,
            [
                Movement(
                    account_id=e.data.account_id,
                    cause=Cause.MEAL,
                    amount_cents=-meal_price_cents,
                    source="meal",
                    source_id=str(e.data.meal_id),
                    description=f"Pasto del {e.data.service_date:%d/%m/%Y}",
                )
                for e in envelopes
                if e.event_id in fresh
            ],
        )
        await uow.commit()
