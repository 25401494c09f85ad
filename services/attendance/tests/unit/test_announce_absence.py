"""A parent's announcement, against in-memory ports: before the cut-off and the close, or too late."""

import uuid
from datetime import UTC, datetime, time

import pytest

from attendance.domain.calendar import Calendar, Closure
from attendance.domain.exceptions import NoServiceOnDay, TooLate, UnknownStudent
from attendance.handlers.announce_absence import AbsenceAnnounced, AnnounceAbsence, announce_absence
from attendance.handlers.close_day import CloseDay, close_day
from attendance.handlers.withdraw_absence import WithdrawAbsence, withdraw_absence

from .fakes import DAY, FakeAttendanceUnitOfWork

EARLY = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 08:00 in Rome, before the 09:30 cut-off


def announcing(student: uuid.UUID, now: datetime = EARLY) -> AnnounceAbsence:
    return AnnounceAbsence(student, DAY, "parent", now)


async def test_an_announcement_before_the_cutoff_counts_once(uow: FakeAttendanceUnitOfWork) -> None:
    [child] = uow.enrol("s1", "1A")
    announced = await announce_absence(uow, announcing(child.student_id))
    again = await announce_absence(uow, announcing(child.student_id))
    cutoff = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    assert announced == again == AbsenceAnnounced(child.student_id, DAY, "s1", cutoff)
    assert await uow.absences.absent(DAY, ["s1"]) == {("s1", child.student_id)}
    assert uow.published == [] and uow.days.locked == [("s1", DAY)] * 2


async def test_after_the_schools_own_cutoff_or_the_close_it_is_too_late(uow: FakeAttendanceUnitOfWork) -> None:
    late, closed_on = uow.enrol("s1", "1A", 2)
    await uow.days.set_calendar("s1", Calendar(cutoff=time(7, 45)), "office")  # 06:45 UTC
    with pytest.raises(TooLate):
        await announce_absence(uow, announcing(late.student_id))
    await uow.days.set_calendar("s1", Calendar(), "office")
    await close_day(uow, CloseDay("s1", DAY, "office", EARLY))
    with pytest.raises(TooLate):
        await announce_absence(uow, announcing(closed_on.student_id))
    assert uow.absences.announced == {}


async def test_an_unknown_child_or_a_day_without_service_is_refused(uow: FakeAttendanceUnitOfWork) -> None:
    [child] = uow.enrol("s1", "1A")
    with pytest.raises(UnknownStudent):
        await announce_absence(uow, announcing(uuid.uuid4()))
    await uow.days.declare(Closure("s1", DAY, "1A", "trip", "Gita", "office"))
    with pytest.raises(NoServiceOnDay):
        await announce_absence(uow, announcing(child.student_id))
    assert uow.commits == 0


async def test_a_withdrawal_before_the_cutoff_removes_only_the_parents_announcement(
    uow: FakeAttendanceUnitOfWork,
) -> None:
    [child] = uow.enrol("s1", "1A")
    await announce_absence(uow, announcing(child.student_id))
    withdrawn = await withdraw_absence(uow, WithdrawAbsence(child.student_id, DAY, EARLY))
    again = await withdraw_absence(uow, WithdrawAbsence(child.student_id, DAY, EARLY))
    assert (withdrawn.withdrawn, again.withdrawn) == (True, False)
    assert await uow.absences.absent(DAY, ["s1"]) == set()
    await uow.absences.mark_absent("s1", "1A", child.student_id, DAY)  # the terminal's: it stays
    await withdraw_absence(uow, WithdrawAbsence(child.student_id, DAY, EARLY))
    assert await uow.absences.absent(DAY, ["s1"]) == {("s1", child.student_id)}


async def test_a_withdrawal_after_the_cutoff_is_too_late(uow: FakeAttendanceUnitOfWork) -> None:
    [child] = uow.enrol("s1", "1A")
    await announce_absence(uow, announcing(child.student_id))
    with pytest.raises(TooLate):
        await withdraw_absence(uow, WithdrawAbsence(child.student_id, DAY, datetime(2026, 11, 25, 9, 0, tzinfo=UTC)))
    assert (DAY, child.student_id) in uow.absences.announced
