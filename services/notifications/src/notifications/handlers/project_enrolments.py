"""Keeps the enrolment projection of `student-enrolled`: which families have children in which
school (audiences of broadcasts), and their surnames (greetings).

Idempotency: inbox (rule `project-enrolments` in `notifications.consumers`); a student's changes arrive in
order (keyed by account) and the last one of each school year wins: a child enrolled for next
year stays in this year's school until this year's enrolment changes. Emits nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from notifications.handlers.ports import NotificationsUnitOfWork
from shared.events import StudentEnrolled


async def project_enrolments(uow: NotificationsUnitOfWork, enrolments: Sequence[StudentEnrolled]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    latest = {(s.student_id, s.school_year): s for s in enrolments}
    await uow.enrolments.save(list(latest.values()))
