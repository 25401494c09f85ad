"""A tap on the terminal's screen: one child present or absent, at the moment of the tap.

The screen queues every tap while the network is down and replays them later, in order, so a
tap may reach the server long after it was made, after another tablet of the school changed the
same child. The rule: **the last write per child wins, by the time of the tap** (a class's post
through the API counts as a write of each of its children at the time of the post). A tap older
than the child's last write is recorded as superseded and changes nothing; a tap replayed twice
is recognised by its key and applied once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from attendance.domain.exceptions import AnnouncedAbsence


class Outcome(StrEnum):
    APPLIED = "applied"
    SUPERSEDED = "superseded"  # a later write of the same child was there first
    ALREADY_RECEIVED = "already_received"  # the same change (same key), replayed


@dataclass(frozen=True)
class DayAbsences:
    """Who is absent on a school's day, and which classes' registers were taken."""

    recorded: frozenset[uuid.UUID]  # by the terminal: its last post, its taps, corrections
    announced: frozenset[uuid.UUID]  # by a parent, before the cut-off
    registers: frozenset[str]  # classes recorded: a post, a tap or a confirmation

    def absent(self, student_id: uuid.UUID) -> bool:
        return student_id in self.recorded or student_id in self.announced


@dataclass(frozen=True)
class Mark:
    change_id: uuid.UUID  # the screen's idempotency key
    school_id: str
    class_id: str
    service_date: date
    student_id: uuid.UUID
    absent: bool
    tapped_at: datetime
    marked_by: str

    def no_later_than(self, now: datetime) -> Mark:
        """A tablet whose clock runs ahead of the server's does not win every race."""
        return replace(self, tapped_at=min(self.tapped_at, now))

    def check_against(self, absences: DayAbsences) -> None:
        """A parent's announcement stands until the close: a child who turns up anyway is
        corrected after it (`present`)."""
        if not self.absent and self.student_id in absences.announced:
            raise AnnouncedAbsence()

    def wins_over(self, last_write: datetime | None) -> bool:
        return last_write is None or self.tapped_at >= last_write
