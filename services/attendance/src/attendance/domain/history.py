"""A student's attendance in a month, day by day, as the parents and the office read it: pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from attendance.domain.corrections import CorrectionRecord
from attendance.domain.meals import RecordedMeal


@dataclass(frozen=True)
class AbsenceRecord:
    service_date: date
    announced_by_parent: bool  # a parent's announcement, else the terminal's post


@dataclass
class AttendanceDay:
    """`assente` unless a meal was charged (`presente`) or charged and cancelled (`pasto_annullato`)."""

    service_date: date
    status: str = "assente"
    corrections: list[CorrectionRecord] = field(default_factory=list)
    announced_by_parent: bool | None = None
    school_id: str | None = None
    class_id: str | None = None
    cancel_reason: str | None = None


def attendance_days(
    absences: Iterable[AbsenceRecord], meals: Iterable[RecordedMeal], corrections: Iterable[CorrectionRecord]
) -> list[AttendanceDay]:
    """Each day with an absence, a meal or a correction, in date order; corrections in the order made."""
    days: dict[date, AttendanceDay] = {}

    def day(on: date) -> AttendanceDay:
        return days.setdefault(on, AttendanceDay(on))

    for absence in absences:
        if absence.announced_by_parent:
            day(absence.service_date).announced_by_parent = True
        else:
            day(absence.service_date)
    for recorded in meals:
        entry = day(recorded.meal.service_date)
        entry.school_id, entry.class_id = recorded.meal.school_id, recorded.meal.class_id
        entry.status = "pasto_annullato" if recorded.cancelled else "presente"
        entry.cancel_reason = recorded.cancel_reason or None
    for correction in corrections:
        day(correction.service_date).corrections.append(correction)
    return [days[on] for on in sorted(days)]
