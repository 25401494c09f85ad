"""What a correction after the close does to a day's meal: pure, no I/O."""

from __future__ import annotations

from enum import StrEnum

from attendance.domain.exceptions import MealAlreadyCancelled


class Kind(StrEnum):
    ABSENT = "absent"  # recorded present by mistake: the meal is cancelled
    SENT_HOME_ILL = "sent_home_ill"  # left after the cut-off: the meal is cancelled
    PRESENT = "present"  # recorded absent by mistake: the missed meal is charged


class Effect(StrEnum):
    CANCEL = "meal-cancelled"
    CHARGE = "meal-consumed"
    NONE = "none"


class MealState(StrEnum):
    MISSING = "missing"
    CHARGED = "charged"
    CANCELLED = "cancelled"


def effect_of(kind: Kind, state: MealState) -> Effect:
    """The same correction applied twice finds the state it left, and does nothing more.

    A cancelled meal is never charged again: its `meal_id` is spent (consumers deduplicate on it).
    """
    if kind is Kind.PRESENT:
        if state is MealState.CANCELLED:
            raise MealAlreadyCancelled()
        return Effect.CHARGE if state is MealState.MISSING else Effect.NONE
    return Effect.CANCEL if state is MealState.CHARGED else Effect.NONE
