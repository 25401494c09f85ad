"""Keeps the enrolment projection of `student-enrolled`: which families have children in which
school (audiences of broadcasts), and their surnames (greetings).

Idempotency: inbox (rule `project-enrolments` in `notifications.consumers`); a student's changes arrive in
order (keyed by account) and the last one wins. Emits nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import enrolment
from shared.db import SqlUnitOfWork
from shared.events import StudentEnrolled

_FIELDS = ("account_id", "school_id", "last_name", "active")


async def project_enrolments(uow: SqlUnitOfWork, enrolments: Sequence[StudentEnrolled]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    latest = {s.student_id: s for s in enrolments}
    statement = insert(enrolment).values(
        [{"student_id": s.student_id, **{name: getattr(s, name) for name in _FIELDS}} for s in latest.values()]
    )
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=[enrolment.c.student_id],
            set_={name: statement.excluded[name] for name in _FIELDS},
        )
    )
