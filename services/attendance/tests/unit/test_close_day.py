"""The close, against in-memory ports: who eats is charged once, with one event each."""

from datetime import UTC, date, datetime

import pytest

from attendance.domain.absences import AbsencePost
from attendance.domain.calendar import Closure
from attendance.domain.exceptions import FutureDay, NoServiceOnDay
from attendance.domain.meals import Meal
from attendance.handlers.close_day import CloseDay, DayClosed, close_day

from .fakes import DAY, NOW, FakeAttendanceUnitOfWork


def closing(school: str = "s1", on: date = DAY, now: datetime = NOW) -> CloseDay:
    return CloseDay(school, on, "terminal:t", now)


async def test_the_present_of_the_classes_with_service_are_charged_once_each(uow: FakeAttendanceUnitOfWork) -> None:
    posted_absent, announced, *eating = uow.enrol("s1", "1A", 4)
    uow.enrol("s1", "1B", 2)  # on a trip
    uow.enrol("s2", "1A")  # another school
    await uow.absences.post(AbsencePost("s1", "1A", DAY, frozenset({posted_absent.student_id}), "terminal:t"))
    await uow.absences.announce(announced, DAY, "parent")
    await uow.days.declare(Closure("s1", DAY, "1B", "trip", "Gita", "office"))

    closed = await close_day(uow, closing())

    assert closed == DayClosed("s1", DAY, meals=2, already_closed=False)
    assert set(uow.published) == {Meal.of(e, DAY).consumed() for e in eating} and len(uow.published) == 2
    assert {m.meal.student_id for m in uow.meals.recorded.values()} == {e.student_id for e in eating}
    assert uow.days.closes[("s1", DAY)].meals == 2 and uow.commits == 1


async def test_a_second_close_finds_the_day_closed_and_emits_nothing(uow: FakeAttendanceUnitOfWork) -> None:
    uow.enrol("s1", "1A", 3)
    first = await close_day(uow, closing())
    again = await close_day(uow, closing())
    assert (first.already_closed, again.already_closed) == (False, True)
    assert again.meals == first.meals == 3 and len(uow.published) == 3 and uow.commits == 1


async def test_a_meal_already_recorded_is_not_charged_again(uow: FakeAttendanceUnitOfWork) -> None:
    moved, stays = uow.enrol("s1", "1A", 2)
    await uow.meals.charge([Meal.of(moved, DAY)])  # charged by the school it left, which closed earlier
    await uow.commit()
    before = len(uow.published)
    closed = await close_day(uow, closing())
    assert closed.meals == 1 and uow.published[before:] == [Meal.of(stays, DAY).consumed()]


@pytest.mark.parametrize(
    ("on", "now", "error"),
    [
        (date(2026, 11, 28), NOW, NoServiceOnDay),  # a Saturday
        (date(2026, 11, 26), datetime(2026, 11, 25, 22, 59, tzinfo=UTC), FutureDay),  # 23:59 in Rome
    ],
)
async def test_a_day_without_service_or_not_begun_cannot_be_closed(
    uow: FakeAttendanceUnitOfWork, on: date, now: datetime, error: type[Exception]
) -> None:
    uow.enrol("s1", "1A")
    with pytest.raises(error):
        await close_day(uow, closing(on=on, now=now))
    assert uow.published == [] and uow.commits == 0 and uow.days.closes == {}


async def test_a_whole_school_closure_leaves_nothing_to_close(uow: FakeAttendanceUnitOfWork) -> None:
    uow.enrol("s1", "1A")
    await uow.days.declare(Closure("s1", DAY, "", "strike", "Sciopero", "office"))
    with pytest.raises(NoServiceOnDay):
        await close_day(uow, closing())
