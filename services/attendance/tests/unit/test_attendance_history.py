"""A child's month, against in-memory ports: each day's status, the parent's word, the corrections."""

from datetime import UTC, date, datetime

from attendance.domain.corrections import Kind
from attendance.handlers.announce_absence import AnnounceAbsence, announce_absence
from attendance.handlers.attendance_history import attendance_history
from attendance.handlers.close_day import CloseDay, close_day
from attendance.handlers.correct_attendance import Correction, correct_attendance

from .fakes import DAY, FakeAttendanceUnitOfWork

NEXT = date(2026, 11, 26)


async def test_a_month_lists_meals_absences_and_corrections_by_day(uow: FakeAttendanceUnitOfWork) -> None:
    [child] = uow.enrol("s1", "1A")
    early = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    await announce_absence(uow, AnnounceAbsence(child.student_id, NEXT, "parent", early))
    await close_day(uow, CloseDay("s1", DAY, "office", datetime(2026, 11, 25, 11, tzinfo=UTC)))
    fix = Correction("s1", child.student_id, DAY, Kind.ABSENT, "Uscito prima", "office", early)
    await correct_attendance(uow, fix)

    eaten, announced = await attendance_history(uow, child.student_id, date(2026, 11, 1))

    assert (eaten.service_date, eaten.status, eaten.class_id) == (DAY, "pasto_annullato", "1A")
    assert eaten.cancel_reason == "absent: Uscito prima"
    assert [(c.kind, c.corrected_by) for c in eaten.corrections] == [(Kind.ABSENT, "office")]
    assert (announced.service_date, announced.status, announced.announced_by_parent) == (NEXT, "assente", True)
    assert await attendance_history(uow, child.student_id, date(2026, 12, 1)) == []
