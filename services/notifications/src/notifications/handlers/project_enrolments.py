"""Keeps the enrolment projection of `student-enrolled`: which families have children in which
school (audiences of broadcasts), and their surnames (greetings).

Idempotency: inbox (consumer `notifications.project-enrolments`); a student's changes arrive in
order (keyed by account) and the last one wins. Emits nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import enrolment
from shared.db import UnitOfWork
from shared.events import Envelope, StudentEnrolled

CONSUMER = "notifications.project-enrolments"
_FIELDS = ("account_id", "school_id", "last_name", "active")


async def project_enrolments(
    envelopes: Sequence[Envelope[StudentEnrolled]], unit_of_work: Callable[[], UnitOfWork]
) -> None:
    async with unit_of_work() as uow:
        fresh = await uow.claim(CONSUMER, [e.event_id for e in envelopes])
        latest = {e.data.student_id: e.data for e in envelopes if e.event_id in fresh}
        if latest:
            statement = insert(enrolment).values(
                [{"student_id": s.student_id, **{name: getattr(s, name) for name in _FIELDS}} for s in latest.values()]
            )
            await uow.connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[enrolment.c.student_id],
                    set_={name: statement.excluded[name] for name in _FIELDS},
                )
            )
        await uow.commit()
