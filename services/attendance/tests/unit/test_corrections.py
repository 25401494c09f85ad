import pytest

from attendance.domain.corrections import Effect, Kind, MealState, effect_of
from attendance.domain.exceptions import MealAlreadyCancelled


@pytest.mark.parametrize(
    ("kind", "state", "effect"),
    [
        (Kind.ABSENT, MealState.CHARGED, Effect.CANCEL),
        (Kind.ABSENT, MealState.CANCELLED, Effect.NONE),
        (Kind.ABSENT, MealState.MISSING, Effect.NONE),
        (Kind.SENT_HOME_ILL, MealState.CHARGED, Effect.CANCEL),
        (Kind.SENT_HOME_ILL, MealState.CANCELLED, Effect.NONE),
        (Kind.PRESENT, MealState.MISSING, Effect.CHARGE),
        (Kind.PRESENT, MealState.CHARGED, Effect.NONE),
    ],
)
def test_a_correction_changes_the_meal_only_once(kind: Kind, state: MealState, effect: Effect) -> None:
    assert effect_of(kind, state) is effect


def test_a_cancelled_meal_is_never_charged_again() -> None:
    with pytest.raises(MealAlreadyCancelled):
        effect_of(Kind.PRESENT, MealState.CANCELLED)
