"""The accounts service's rules: what it does when an event arrives.

Each rule consumes one topic in batches: the meals through a Kafka consumer of their own (group
`accounts.charge-for-meal`, a city's burst every day), the quiet others through one (group
`accounts`, `shared.messaging.dispatch`); the kernel's wrapper (`shared.messaging.consumer`)
claims the events in the inbox under `accounts.<name>`, hands the rule the new ones inside one
transaction, and commits it before the offsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accounts.config import AccountsSettings
from accounts.handlers.charge_for_meals import charge_for_meals
from accounts.handlers.credit_top_ups import credit_top_ups
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.reverse_meals import reverse_meals
from shared.events import Envelope, MealCancelled, MealConsumed, PaymentReceived
from shared.messaging.consumer import Rule


def rules(settings: AccountsSettings) -> list[Rule[Any, Any]]:
    pricing = settings.pricing

    async def when_meal_consumed_charge_for_meal(
        uow: AccountsUnitOfWork, meals: Sequence[Envelope[MealConsumed]]
    ) -> None:
        await charge_for_meals(uow, [m.data for m in meals], pricing)

    async def when_meal_cancelled_reverse_meal(
        uow: AccountsUnitOfWork, meals: Sequence[Envelope[MealCancelled]]
    ) -> None:
        await reverse_meals(uow, [m.data for m in meals])

    async def when_payment_received_credit_top_up(
        uow: AccountsUnitOfWork, payments: Sequence[Envelope[PaymentReceived]]
    ) -> None:
        await credit_top_ups(uow, [p.data for p in payments])

    return [
        Rule(MealConsumed, "charge-for-meal", when_meal_consumed_charge_for_meal, busy=True),
        Rule(MealCancelled, "reverse-meal", when_meal_cancelled_reverse_meal),
        Rule(PaymentReceived, "credit-top-up", when_payment_received_credit_top_up),
    ]
