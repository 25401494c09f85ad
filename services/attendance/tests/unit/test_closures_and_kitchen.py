"""Closures and kitchen counts, against in-memory ports."""

from attendance.domain.absences import AbsencePost
from attendance.domain.calendar import Closure
from attendance.domain.kitchen import KitchenCount, KitchenLine
from attendance.domain.meals import Meal
from attendance.handlers.close_day import CloseDay, close_day
from attendance.handlers.declare_closure import ClosureDeclared, declare_closure
from attendance.handlers.kitchen_counts import city_kitchen_counts, kitchen_count

from .fakes import DAY, NOW, FakeAttendanceUnitOfWork

TRIP = Closure("s1", DAY, "1B", "trip", "Gita al museo", "terminal:t")


async def test_a_closure_after_the_close_cancels_its_meals_once(uow: FakeAttendanceUnitOfWork) -> None:
    uow.enrol("s1", "1A", 2)
    trip = uow.enrol("s1", "1B", 2)
    await close_day(uow, CloseDay("s1", DAY, "office", NOW))
    charged = len(uow.published)
    assert await declare_closure(uow, TRIP) == ClosureDeclared(already_declared=False, cancelled_meals=2)
    assert await declare_closure(uow, TRIP) == ClosureDeclared(already_declared=True, cancelled_meals=0)
    cancelled = {Meal.of(e, DAY).cancelled("trip: Gita al museo") for e in trip}
    assert len(uow.published) == charged + 2 and set(uow.published[charged:]) == cancelled


async def test_a_closure_before_the_close_cancels_nothing(uow: FakeAttendanceUnitOfWork) -> None:
    uow.enrol("s1", "1B", 2)
    assert await declare_closure(uow, TRIP) == ClosureDeclared(already_declared=False, cancelled_meals=0)
    assert uow.published == [] and uow.commits == 1


async def test_the_kitchen_gets_the_forecast_then_the_final_count(uow: FakeAttendanceUnitOfWork) -> None:
    absent, _, _ = uow.enrol("s1", "1A", 3)
    uow.enrol("s1", "1B", 2, diet="senza_glutine")
    await uow.absences.post(AbsencePost("s1", "1A", DAY, frozenset({absent.student_id}), "terminal:t"))
    forecast = await kitchen_count(uow, "s1", DAY)
    assert (forecast.final, forecast.total) == (False, 4)
    assert forecast.lines == [KitchenLine("1A", "standard", 2), KitchenLine("1B", "senza_glutine", 2)]
    await close_day(uow, CloseDay("s1", DAY, "office", NOW))
    await declare_closure(uow, TRIP)
    final = await kitchen_count(uow, "s1", DAY)
    assert (final.final, final.lines) == (True, [KitchenLine("1A", "standard", 2)])


async def test_the_city_count_has_every_school_final_or_forecast(uow: FakeAttendanceUnitOfWork) -> None:
    uow.enrol("s2", "1A", 2)
    uow.enrol("s1", "2B")
    await close_day(uow, CloseDay("s2", DAY, "office", NOW))
    counts = await city_kitchen_counts(uow, DAY)
    assert [(c.school_id, c.final, c.total) for c in counts] == [("s1", False, 1), ("s2", True, 2)]
    assert await kitchen_count(uow, "nowhere", DAY) == KitchenCount("nowhere", DAY, False, [])
