"""What a meal does to the ledger: a debit at its price, and, if cancelled, a reversal of exactly
what the debit took. Both are keyed by the meal, so neither can happen twice. Pure."""

from __future__ import annotations

import uuid

from accounts.domain.ledger import Cause, Movement
from shared.events import MealConsumed

MEAL = "meal"  # the ledger source of a meal's debit; its source id is the meal id
MEAL_REVERSAL = "meal-reversal"


def meal_charge(meal: MealConsumed, price_cents: int) -> Movement:
    return Movement(
        account_id=meal.account_id,
        cause=Cause.MEAL,
        amount_cents=-price_cents,
        source=MEAL,
        source_id=str(meal.meal_id),
        description=f"Pasto del {meal.service_date:%d/%m/%Y}",
        student_id=meal.student_id,
    )


def meal_reversal(charge: Movement, reason: str) -> Movement:
    """Credits back what `charge` (a meal's debit as the ledger holds it) took."""
    return Movement(
        account_id=charge.account_id,
        cause=Cause.MEAL_REVERSAL,
        amount_cents=-charge.amount_cents,
        source=MEAL_REVERSAL,
        source_id=charge.source_id,
        description=f"Storno pasto: {reason}",
        student_id=charge.student_id,
    )


def meal_of(charge: Movement) -> uuid.UUID:
    return uuid.UUID(charge.source_id)
