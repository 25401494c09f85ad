"""Keeps the roster, the projection of `student-enrolled`: who eats where.

Idempotency: inbox (rule `project-roster` in `attendance.consumers`); enrolments of one account
arrive in order (keyed by account), and the last enrolment of a student for a school year wins (a
transfer or a withdrawal replaces it; next year's enrolment is a row of its own). Emits nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from attendance.handlers.ports import AttendanceUnitOfWork
from shared.events import StudentEnrolled


async def project_roster(uow: AttendanceUnitOfWork, enrolments: Sequence[StudentEnrolled]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    latest = {(e.student_id, e.school_year): e for e in enrolments}
    await uow.roster.project(list(latest.values()))
