"""What a correction after the close does to a day's meal: pure, no I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from attendance.domain.exceptions import MealAlreadyCancelled
from attendance.domain.meals import RecordedMeal
from attendance.domain.today import Pupil


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


def state_of(recorded: RecordedMeal | None) -> MealState:
    if recorded is None:
        return MealState.MISSING
    return MealState.CANCELLED if recorded.cancelled else MealState.CHARGED


def effect_of(kind: Kind, state: MealState) -> Effect:
    """The same correction applied twice finds the state it left, and does nothing more.

    A cancelled meal is never charged again: its `meal_id` is spent (consumers deduplicate on it).
    """
    if kind is Kind.PRESENT:
        if state is MealState.CANCELLED:
            raise MealAlreadyCancelled()
        return Effect.CHARGE if state is MealState.MISSING else Effect.NONE
    return Effect.CANCEL if state is MealState.CHARGED else Effect.NONE


@dataclass(frozen=True)
class CorrectionRecord:
    """A correction as recorded: who, when, why, and what it did."""

    school_id: str
    student_id: uuid.UUID
    service_date: date
    kind: Kind
    reason: str
    effect: Effect
    corrected_by: str
    corrected_at: datetime | None = None  # set once recorded


# What a correction can still do to a child's meal: cancel a charged one, charge a missing one.
_KINDS = {
    MealState.CHARGED: [Kind.SENT_HOME_ILL, Kind.ABSENT],
    MealState.MISSING: [Kind.PRESENT],
    MealState.CANCELLED: [],
}


@dataclass(frozen=True)
class CorrectablePupil:
    pupil: Pupil
    state: MealState

    @property
    def kinds(self) -> list[Kind]:
        return _KINDS[self.state]


@dataclass(frozen=True)
class CorrectableDay:
    """A closed day still open to the terminal's corrections, until `until`."""

    service_date: date
    closed_at: datetime
    until: datetime
