"""The attendance service's rules: what it does when an event arrives.

The kernel's wrapper (`shared.messaging.consumer`) claims the events in the inbox under the key
`attendance.<name>` (Kafka group `attendance`, `shared.messaging.dispatch`), hands the rule the
new ones inside one transaction, and commits it before the offsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attendance.handlers.ports import AttendanceUnitOfWork
from attendance.handlers.project_roster import project_roster
from shared.events import Envelope, StudentEnrolled
from shared.messaging.consumer import Rule


async def when_student_enrolled_project_roster(
    uow: AttendanceUnitOfWork, enrolments: Sequence[Envelope[StudentEnrolled]]
) -> None:
    await project_roster(uow, [e.data for e in enrolments])


RULES: list[Rule[Any, Any]] = [Rule(StudentEnrolled, "project-roster", when_student_enrolled_project_roster)]
