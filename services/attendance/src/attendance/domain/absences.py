"""What a terminal posts for a class: who is absent today. The last post wins."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from attendance.domain.exceptions import UnknownClass, UnknownStudents
from attendance.domain.meals import RosterEntry


@dataclass(frozen=True)
class AbsencePost:
    school_id: str
    class_id: str
    service_date: date
    absent: frozenset[uuid.UUID]
    posted_by: str
    today_of: datetime | None = None  # a terminal's post, sent then: for its school's today only

    def check_against(self, roster: Iterable[RosterEntry]) -> None:
        """Only children enrolled in the class may be named, and the class must have some."""
        enrolled = {entry.student_id for entry in roster if entry.class_id == self.class_id}
        if unknown := self.absent - enrolled:
            raise UnknownStudents(len(unknown))
        if not enrolled:
            raise UnknownClass()
