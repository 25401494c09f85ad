"""The terminal's absences, against in-memory ports: the last post wins, every post is kept."""

import uuid
from datetime import UTC, date, datetime

import pytest

from attendance.domain.absences import AbsencePost
from attendance.domain.calendar import Closure
from attendance.domain.exceptions import DayAlreadyClosed, NoServiceOnDay, UnknownClass, UnknownStudents
from attendance.handlers.close_day import CloseDay, close_day
from attendance.handlers.record_absences import record_absences

from .fakes import DAY, FakeAttendanceUnitOfWork


def post(class_id: str, *absent: uuid.UUID, on: date = DAY) -> AbsencePost:
    return AbsencePost("s1", class_id, on, frozenset(absent), "terminal:t")


async def test_the_last_post_wins_and_every_post_is_kept(uow: FakeAttendanceUnitOfWork) -> None:
    first, second, _ = (e.student_id for e in uow.enrol("s1", "1A", 3))
    [other] = (e.student_id for e in uow.enrol("s1", "1B"))
    await record_absences(uow, post("1B", other))
    await record_absences(uow, post("1A", first, second))
    await record_absences(uow, post("1A", second))
    assert await uow.absences.absent(DAY, ["s1"]) == {("s1", second), ("s1", other)}
    assert [p.absent for p in uow.absences.posts] == [{other}, {first, second}, {second}]
    assert uow.commits == 3 and uow.days.locked == [("s1", DAY)] * 3


async def test_children_of_another_class_or_none_at_all_are_refused(uow: FakeAttendanceUnitOfWork) -> None:
    [elsewhere] = (e.student_id for e in uow.enrol("s1", "1B"))
    uow.enrol("s1", "1A")
    with pytest.raises(UnknownStudents):
        await record_absences(uow, post("1A", elsewhere, uuid.uuid4()))
    with pytest.raises(UnknownClass):
        await record_absences(uow, post("2C"))
    assert uow.absences.posts == [] and uow.commits == 0


async def test_no_absences_on_a_closed_day_or_for_a_class_without_service(uow: FakeAttendanceUnitOfWork) -> None:
    uow.enrol("s1", "1A")
    uow.enrol("s1", "1B")
    await uow.days.declare(Closure("s1", DAY, "1B", "trip", "Gita", "office"))
    with pytest.raises(NoServiceOnDay):
        await record_absences(uow, post("1B"))
    with pytest.raises(NoServiceOnDay):
        await record_absences(uow, post("1A", on=date(2026, 11, 29)))  # a Sunday
    await close_day(uow, CloseDay("s1", DAY, "office", datetime(2026, 11, 25, 12, tzinfo=UTC)))
    with pytest.raises(DayAlreadyClosed):
        await record_absences(uow, post("1A"))
    assert uow.absences.posts == []
