"""Corrections after the close, against in-memory ports: each changes the meal once, all are recorded."""

import uuid
from datetime import timedelta
from typing import Any

import pytest

from attendance.domain.absences import AbsencePost
from attendance.domain.corrections import Effect, Kind
from attendance.domain.days import DayClose
from attendance.domain.exceptions import CorrectionWindowClosed, DayNotClosed, MealAlreadyCancelled, UnknownStudent
from attendance.domain.meals import Meal
from attendance.handlers.close_day import CloseDay, close_day
from attendance.handlers.correct_attendance import Correction, correct_attendance
from shared.events import MealCancelled

from .fakes import DAY, NOW, FakeAttendanceUnitOfWork


def fix(student: uuid.UUID, kind: Kind, **changes: Any) -> Correction:
    return Correction("s1", student, DAY, kind, "Registro cartaceo", "office", NOW, **changes)


async def closed_day(uow: FakeAttendanceUnitOfWork, n: int = 2, absent: int = 0) -> list[Any]:
    children = uow.enrol("s1", "1A", n)
    away = frozenset(c.student_id for c in children[:absent])
    await uow.absences.post(AbsencePost("s1", "1A", DAY, away, "terminal:t"))
    await close_day(uow, CloseDay("s1", DAY, "terminal:t", NOW))
    return children


async def test_present_charges_the_missed_meal_once(uow: FakeAttendanceUnitOfWork) -> None:
    forgotten, _ = await closed_day(uow, absent=1)
    charged = len(uow.published)
    assert await correct_attendance(uow, fix(forgotten.student_id, Kind.PRESENT)) is Effect.CHARGE
    assert await correct_attendance(uow, fix(forgotten.student_id, Kind.PRESENT)) is Effect.NONE
    assert uow.published[charged:] == [Meal.of(forgotten, DAY).consumed()]
    assert await uow.absences.absent(DAY, ["s1"]) == set()  # the absence follows the correction
    assert [(r.effect, r.corrected_by) for r in uow.corrections.records] == [
        (Effect.CHARGE, "office"),
        (Effect.NONE, "office"),
    ]


async def test_absent_cancels_the_charged_meal_once_and_is_never_charged_again(
    uow: FakeAttendanceUnitOfWork,
) -> None:
    mistaken, _ = await closed_day(uow)
    charged = len(uow.published)
    assert await correct_attendance(uow, fix(mistaken.student_id, Kind.ABSENT)) is Effect.CANCEL
    assert await correct_attendance(uow, fix(mistaken.student_id, Kind.ABSENT)) is Effect.NONE
    meal = Meal.of(mistaken, DAY)
    assert uow.published[charged:] == [
        MealCancelled(meal_id=meal.meal_id, account_id=mistaken.account_id, reason="absent: Registro cartaceo")
    ]
    assert await uow.absences.absent(DAY, ["s1"]) == {("s1", mistaken.student_id)}
    with pytest.raises(MealAlreadyCancelled):
        await correct_attendance(uow, fix(mistaken.student_id, Kind.PRESENT))


async def test_sent_home_ill_cancels_without_recording_an_absence(uow: FakeAttendanceUnitOfWork) -> None:
    ill, _ = await closed_day(uow)
    assert await correct_attendance(uow, fix(ill.student_id, Kind.SENT_HOME_ILL)) is Effect.CANCEL
    assert uow.meals.recorded[Meal.of(ill, DAY).meal_id].cancel_reason == "sent_home_ill: Registro cartaceo"
    assert await uow.absences.absent(DAY, ["s1"]) == set()


async def test_no_correction_before_the_close(uow: FakeAttendanceUnitOfWork) -> None:
    [child] = uow.enrol("s1", "1A")
    with pytest.raises(DayNotClosed):
        await correct_attendance(uow, fix(child.student_id, Kind.ABSENT))
    assert uow.corrections.records == []


async def test_the_terminals_window_ends_the_office_corrects_later(uow: FakeAttendanceUnitOfWork) -> None:
    child, _ = await closed_day(uow)
    uow.days.closes["s1", DAY] = DayClose(NOW - timedelta(days=3), 2)
    with pytest.raises(CorrectionWindowClosed):
        await correct_attendance(uow, fix(child.student_id, Kind.ABSENT, window=timedelta(hours=48)))
    assert await correct_attendance(uow, fix(child.student_id, Kind.ABSENT)) is Effect.CANCEL


async def test_a_child_of_another_school_or_nobody_is_unknown(uow: FakeAttendanceUnitOfWork) -> None:
    await closed_day(uow)
    [foreign] = uow.enrol("s2", "1A")
    await close_day(uow, CloseDay("s2", DAY, "office", NOW))
    for student in (foreign.student_id, uuid.uuid4()):
        with pytest.raises(UnknownStudent):
            await correct_attendance(uow, fix(student, Kind.ABSENT))  # even with nothing to undo
    assert uow.corrections.records == []
