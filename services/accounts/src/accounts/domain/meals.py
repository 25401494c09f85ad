"""What a meal does to the ledger: a debit at its price, and, if cancelled, a reversal of exactly
what the debit took. Both are keyed by the meal, so neither can happen twice. Pure."""

from __future__ import annotations

import functools
import uuid
from datetime import date

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
        description=_meal_of(meal.service_date),
        student_id=meal.student_id,
    )


@functools.lru_cache(maxsize=512)  # a batch's meals share a few service dates
def _meal_of(day: date) -> str:
    return f"Pasto del {day:%d/%m/%Y}"


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
