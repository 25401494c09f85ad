"""Keeps the roster, the projection of `student-enrolled`: who eats where.

Idempotency: inbox (rule `project-roster` in `attendance.consumers`); enrolments of one account arrive in
order (keyed by account), and the last enrolment of a student for a school year wins (a transfer
or a withdrawal replaces it; next year's enrolment is a row of its own). Emits nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from attendance.adapters.tables import roster
from shared.db import SqlUnitOfWork
from shared.events import StudentEnrolled


async def project_roster(uow: SqlUnitOfWork, enrolments: Sequence[StudentEnrolled]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    latest = {(s.student_id, s.school_year): s for s in enrolments}
    statement = insert(roster).values(
        [
            {
                "student_id": s.student_id,
                "account_id": s.account_id,
                "school_id": s.school_id,
                "class_id": s.class_id,
                "diet": s.diet,
                "school_year": s.school_year,
                "active": s.active,
            }
            for s in latest.values()
        ]
    )
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=[roster.c.student_id, roster.c.school_year],
            set_={name: statement.excluded[name] for name in ("account_id", "school_id", "class_id", "diet", "active")}
            | {"updated_at": func.now()},
        )
    )
