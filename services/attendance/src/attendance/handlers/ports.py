"""What the attendance handlers need from the outside world: the unit of work and its repositories.

`adapters/sql_*.py` implement them on PostgreSQL (`adapters/sql_unit_of_work.py` binds them to
the transaction); the unit tests have in-memory fakes.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Protocol

from attendance.domain.absences import AbsencePost
from attendance.domain.calendar import Calendar, Closure, DayService
from attendance.domain.corrections import CorrectionRecord
from attendance.domain.days import Day, DayClose
from attendance.domain.history import AbsenceRecord
from attendance.domain.kitchen import Tally
from attendance.domain.marks import DayAbsences, Mark
from attendance.domain.meals import Absent, Meal, RecordedMeal, RosterEntry
from attendance.domain.terminals import PendingPairing, Terminal, TerminalRecord
from attendance.domain.today import Pupil
from shared.events import StudentEnrolled
from shared.school_year import SchoolYear
from shared.unit_of_work import UnitOfWork


class Days(Protocol):
    """Schools' service days: calendars, closures and closes."""

    async def lock(self, school_id: str, service_date: date) -> Day:
        """Serialises everything that changes one school's day (absences, close, closures,
        corrections) until the transaction ends, and reads the day under the lock."""

    async def lock_city(self, service_date: date) -> None:
        """Serialises the municipal calendar's changes of a day against every school's changes
        of it (which `lock` makes wait) until the transaction ends."""

    async def closed_anywhere(self, service_date: date) -> bool:
        """Whether any school closed the day."""

    async def day(self, school_id: str, service_date: date) -> Day:
        """The day as `lock` reads it, without the lock (the screens' reads)."""

    async def services(self, service_date: date, schools: Collection[str]) -> dict[str, DayService]:
        """What each school's calendar and closures say of the day (every school of `schools`)."""

    async def closed(self, service_date: date, schools: Collection[str]) -> set[str]:
        """The schools of `schools` whose day was closed."""

    async def record_close(
        self, school_id: str, service_date: date, closed_by: str, meals: int, reason: str | None = None
    ) -> None: ...

    async def closes_since(self, school_id: str, since: datetime) -> list[tuple[date, DayClose]]:
        """The school's days closed at `since` or later, the latest first."""

    async def calendar(self, school_id: str) -> Calendar: ...

    async def set_calendar(self, school_id: str, calendar: Calendar, updated_by: str) -> None: ...

    async def declare(self, closure: Closure) -> bool:
        """Records the closure; False if it was declared already (it changes nothing then)."""

    async def closures(self, school_id: str, first: date, last: date) -> list[Closure]:
        """The school's closures between two days, the municipal calendar's too, by date and class
        (`EVERY_SCHOOL`: the municipal calendar's only)."""

    async def remove(self, school_id: str, service_date: date, class_id: str) -> Closure | None:
        """Deletes the closure (the office declared it by mistake); None if there was none."""


class Roster(Protocol):
    """The projection of `student-enrolled`: who is enrolled where, each school year."""

    async def project(self, enrolments: Sequence[StudentEnrolled]) -> None:
        """Upserts each (student, school year); at most one enrolment per pair."""

    async def enrolled(self, year: SchoolYear, schools: Collection[str]) -> list[RosterEntry]:
        """Who is enrolled and active in these schools, by school, class and student."""

    async def enrolment(self, student_id: uuid.UUID, year: SchoolYear) -> RosterEntry | None:
        """The student's active enrolment for the year, if any."""

    async def schools(self, year: SchoolYear) -> set[str]:
        """Every school with a child enrolled and active for the year."""

    async def pupils(self, year: SchoolYear, school_id: str) -> list[Pupil]:
        """The school's children enrolled and active for the year, as its screen names them."""


class Absences(Protocol):
    async def post(self, post: AbsencePost) -> None:
        """Keeps the post, and makes it the class's absences of the day (the last post wins)."""

    async def announce(self, entry: RosterEntry, service_date: date, announced_by: str) -> None:
        """A parent's announcement; announcing twice changes nothing."""

    async def withdraw(self, student_id: uuid.UUID, service_date: date) -> bool:
        """Removes the parent's announcement of the day; False if there was none."""

    async def absent(self, service_date: date, schools: Collection[str]) -> Absent:
        """Who is absent in these schools: the terminals' posts and the parents' announcements."""

    async def mark_absent(self, school_id: str, class_id: str, student_id: uuid.UUID, service_date: date) -> None:
        """A correction's absence (nothing more if already recorded)."""

    async def mark_present(self, student_id: uuid.UUID, service_date: date) -> None:
        """A correction's presence: the child's recorded absence of the day goes."""

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[AbsenceRecord]: ...

    async def of_day(self, school_id: str, service_date: date) -> DayAbsences:
        """The school's absences of the day (the terminal's, the parents'), and the classes recorded."""

    async def take_register(self, school_id: str, class_id: str, service_date: date, taken_by: str) -> None:
        """The class was recorded that day (the first time counts; again changes nothing)."""

    async def last_write(
        self, school_id: str, class_id: str, service_date: date, student_id: uuid.UUID
    ) -> datetime | None:
        """When the child's absence or presence that day was last written: their last tap, or
        the class's last post, whichever came later."""

    async def mark(self, mark: Mark) -> None:
        """Records the tap as the child's last write and makes the day's absences follow it."""


class Meals(Protocol):
    """The meals charged: recording one queues its event in the same transaction."""

    async def charge(self, meals: Sequence[Meal]) -> list[Meal]:
        """Records the meals not recorded yet, each with its `meal-consumed`; returns those. A meal
        already recorded (a child moved to a school that closes later) is not charged twice."""

    async def cancel(self, meal_id: uuid.UUID, reason: str) -> None:
        """Cancels a charged meal, with its `meal-cancelled`."""

    async def cancel_day(self, school_id: str, service_date: date, class_id: str, reason: str) -> int:
        """Cancels every charged meal of the school's day (`WHOLE_SCHOOL`) or of one class (every
        school's: `EVERY_SCHOOL`), each with its `meal-cancelled`; returns how many."""

    async def charged(self, school_id: str, first: date, last: date, class_id: str) -> int:
        """How many meals charged and not cancelled the school (`EVERY_SCHOOL`: any) or one of its
        classes has between two days: what a closure of them would cancel."""

    async def find(self, meal_id: uuid.UUID) -> RecordedMeal | None: ...

    async def tally(self, service_date: date, schools: Collection[str]) -> Tally:
        """The meals charged and not cancelled in these schools, per school, class and diet."""

    async def schools(self, service_date: date) -> set[str]:
        """Every school with a meal recorded that day."""

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[RecordedMeal]: ...

    async def of_day(self, school_id: str, service_date: date) -> list[RecordedMeal]: ...


class Corrections(Protocol):
    async def record(self, correction: CorrectionRecord) -> None: ...

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[CorrectionRecord]:
        """In the order they were made."""


class Terminals(Protocol):
    async def add(self, terminal: Terminal, secret_digest: str, pairing: PendingPairing | None = None) -> None: ...

    async def live(self, terminal_id: uuid.UUID) -> tuple[Terminal, str] | None:
        """A terminal not revoked, with its secret's digest."""

    async def rotate(
        self, terminal_id: uuid.UUID, secret_digest: str, pairing: PendingPairing | None = None
    ) -> Terminal | None:
        """A live terminal's new secret digest (and pairing code); None if there is no live terminal."""

    async def pair(self, code_digest: str, secret_digest: str, now: datetime) -> Terminal | None:
        """The live terminal whose pairing code this is, if it has not expired: its new secret,
        and the code spent. None for any other code."""

    async def revoke(self, terminal_id: uuid.UUID) -> bool:
        """Keeps the first revocation time, and spends a pairing code; False if there is no such terminal."""

    async def listed(self) -> list[TerminalRecord]:
        """Every terminal, by school and creation time."""


class Changes(Protocol):
    async def claim(self, change_id: uuid.UUID, kind: str, sent_by: str) -> bool:
        """Records the screen's change by its key; False if it was received already (and then
        the caller applies nothing)."""


class AttendanceUnitOfWork(UnitOfWork, Protocol):
    """The repositories on the unit of work's transaction (read-only members, so that an
    implementation may type them as its own classes)."""

    @property
    def days(self) -> Days: ...

    @property
    def roster(self) -> Roster: ...

    @property
    def absences(self) -> Absences: ...

    @property
    def meals(self) -> Meals: ...

    @property
    def corrections(self) -> Corrections: ...

    @property
    def terminals(self) -> Terminals: ...

    @property
    def changes(self) -> Changes: ...
