"""In-memory fakes of the attendance ports, for handler unit tests (no I/O, milliseconds).

Like the real unit of work, the fake keeps nothing that was not committed: what a handler
published shows in `uow.published` only once it committed, and leaving the block without
`commit()` puts the repositories' rows (plain dicts, which the tests read) back as they were.
"""

from __future__ import annotations

import copy
import uuid
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

from attendance.domain.absences import AbsencePost
from attendance.domain.calendar import EVERY_SCHOOL, WHOLE_SCHOOL, Calendar, Closure, DayService
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
from testkit.fakes import FakeUnitOfWork

DAY = date(2026, 11, 25)  # a Wednesday of school year 2026/2027
NOW = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)  # 12:00 in Rome, after the cut-off


class FakeDays:
    def __init__(self) -> None:
        self.calendars: dict[str, Calendar] = {}
        self.declared: dict[tuple[str, date, str], Closure] = {}
        self.closes: dict[tuple[str, date], DayClose] = {}
        self.reasons: dict[tuple[str, date], str | None] = {}
        self.locked: list[tuple[str, date]] = []  # by the transactions that committed

    async def lock(self, school_id: str, service_date: date) -> Day:
        self.locked.append((school_id, service_date))
        return await self.day(school_id, service_date)

    async def lock_city(self, service_date: date) -> None:
        self.locked.append((EVERY_SCHOOL, service_date))

    async def closed_anywhere(self, service_date: date) -> bool:
        return any(d == service_date for (_, d) in self.closes)

    async def day(self, school_id: str, service_date: date) -> Day:
        [service] = (await self.services(service_date, [school_id])).values()
        return Day(school_id, service_date, service, self.closes.get((school_id, service_date)))

    async def services(self, service_date: date, schools: Collection[str]) -> dict[str, DayService]:
        def closed(school: str) -> list[str]:
            return [c for (s, d, c) in self.declared if d == service_date and s in (school, EVERY_SCHOOL)]

        return {s: DayService.of(await self.calendar(s), service_date, closed(s)) for s in schools}

    async def closed(self, service_date: date, schools: Collection[str]) -> set[str]:
        return {s for (s, d) in self.closes if d == service_date and s in schools}

    async def record_close(
        self, school_id: str, service_date: date, closed_by: str, meals: int, reason: str | None = None
    ) -> None:
        assert (school_id, service_date) not in self.closes, "closed twice"
        self.closes[school_id, service_date] = DayClose(NOW, meals)
        self.reasons[school_id, service_date] = reason

    async def closes_since(self, school_id: str, since: datetime) -> list[tuple[date, DayClose]]:
        found = [(d, c) for (s, d), c in self.closes.items() if s == school_id and c.closed_at >= since]
        return sorted(found, reverse=True)

    async def calendar(self, school_id: str) -> Calendar:
        return self.calendars.get(school_id, Calendar())

    async def set_calendar(self, school_id: str, calendar: Calendar, updated_by: str) -> None:
        self.calendars[school_id] = calendar

    async def declare(self, closure: Closure) -> bool:
        key = (closure.school_id, closure.service_date, closure.class_id)
        if key in self.declared:
            return False
        self.declared[key] = replace(closure, declared_at=NOW)
        return True

    async def closures(self, school_id: str, first: date, last: date) -> list[Closure]:
        schools = (school_id, EVERY_SCHOOL)
        return [c for (s, d, _), c in sorted(self.declared.items()) if s in schools and first <= d <= last]

    async def remove(self, school_id: str, service_date: date, class_id: str) -> Closure | None:
        return self.declared.pop((school_id, service_date, class_id), None)


class FakeRoster:
    def __init__(self) -> None:
        self.rows: dict[tuple[uuid.UUID, str], tuple[RosterEntry, bool]] = {}
        self.names: dict[uuid.UUID, tuple[str, str]] = {}  # -> (first name, surname's initial)

    async def project(self, enrolments: Sequence[StudentEnrolled]) -> None:
        for e in enrolments:
            entry = RosterEntry(e.student_id, e.account_id, e.school_id, e.class_id, e.diet)
            self.rows[e.student_id, e.school_year] = (entry, e.active)
            self.names[e.student_id] = (e.first_name, e.last_name[:1])

    async def pupils(self, year: SchoolYear, school_id: str) -> list[Pupil]:
        return [
            Pupil(e.student_id, e.class_id, *self.names.get(e.student_id, ("", "")), e.diet)
            for e in await self.enrolled(year, [school_id])
        ]

    async def enrolled(self, year: SchoolYear, schools: Collection[str]) -> list[RosterEntry]:
        found = [e for (_, y), (e, active) in self.rows.items() if y == str(year) and active and e.school_id in schools]
        return sorted(found, key=lambda e: (e.school_id, e.class_id, str(e.student_id)))

    async def enrolment(self, student_id: uuid.UUID, year: SchoolYear) -> RosterEntry | None:
        entry, active = self.rows.get((student_id, str(year)), (None, False))
        return entry if active else None

    async def schools(self, year: SchoolYear) -> set[str]:
        return {e.school_id for (_, y), (e, active) in self.rows.items() if y == str(year) and active}


class FakeAbsences:
    def __init__(self) -> None:
        self.posts: list[AbsencePost] = []
        self.recorded: dict[tuple[date, uuid.UUID], tuple[str, str]] = {}  # -> (school, class)
        self.announced: dict[tuple[date, uuid.UUID], RosterEntry] = {}
        self.marks: dict[tuple[date, uuid.UUID], Mark] = {}
        self.registers: set[tuple[str, date, str]] = set()
        self.posted_at: dict[tuple[str, str, date], datetime] = {}  # the class's last post

    async def post(self, post: AbsencePost) -> None:
        self.posts.append(post)
        self.posted_at[post.school_id, post.class_id, post.service_date] = NOW
        for (on, student), where in list(self.recorded.items()):
            if on == post.service_date and where == (post.school_id, post.class_id):
                del self.recorded[on, student]
        self.recorded |= {(post.service_date, s): (post.school_id, post.class_id) for s in post.absent}

    async def announce(self, entry: RosterEntry, service_date: date, announced_by: str) -> None:
        self.announced.setdefault((service_date, entry.student_id), entry)

    async def withdraw(self, student_id: uuid.UUID, service_date: date) -> bool:
        return self.announced.pop((service_date, student_id), None) is not None

    async def absent(self, service_date: date, schools: Collection[str]) -> Absent:
        recorded = {(school, s) for (on, s), (school, _) in self.recorded.items() if on == service_date}
        announced = {(e.school_id, s) for (on, s), e in self.announced.items() if on == service_date}
        return {(school, s) for school, s in recorded | announced if school in schools}

    async def mark_absent(self, school_id: str, class_id: str, student_id: uuid.UUID, service_date: date) -> None:
        self.recorded.setdefault((service_date, student_id), (school_id, class_id))

    async def mark_present(self, student_id: uuid.UUID, service_date: date) -> None:
        self.recorded.pop((service_date, student_id), None)

    async def of_day(self, school_id: str, service_date: date) -> DayAbsences:
        return DayAbsences(
            frozenset(s for (on, s), (school, _) in self.recorded.items() if (school, on) == (school_id, service_date)),
            frozenset(s for (on, s), e in self.announced.items() if (e.school_id, on) == (school_id, service_date)),
            frozenset(c for school, on, c in self.registers if (school, on) == (school_id, service_date)),
        )

    async def take_register(self, school_id: str, class_id: str, service_date: date, taken_by: str) -> None:
        self.registers.add((school_id, service_date, class_id))

    async def last_write(
        self, school_id: str, class_id: str, service_date: date, student_id: uuid.UUID
    ) -> datetime | None:
        mark = self.marks.get((service_date, student_id))
        writes = [mark.tapped_at] if mark else []
        posted = self.posted_at.get((school_id, class_id, service_date))
        return max([*writes, posted] if posted else writes, default=None)

    async def mark(self, mark: Mark) -> None:
        self.marks[mark.service_date, mark.student_id] = mark
        if mark.absent:
            self.recorded[mark.service_date, mark.student_id] = (mark.school_id, mark.class_id)
        else:
            self.recorded.pop((mark.service_date, mark.student_id), None)

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[AbsenceRecord]:
        days = [(on, False) for on, s in self.recorded if s == student_id] + [
            (on, True) for on, s in self.announced if s == student_id
        ]
        return [AbsenceRecord(on, by_parent) for on, by_parent in days if first <= on <= last]


class FakeMeals:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow  # its outbox
        self.recorded: dict[uuid.UUID, RecordedMeal] = {}

    async def charge(self, meals: Sequence[Meal]) -> list[Meal]:
        new = [m for m in meals if m.meal_id not in self.recorded]
        self.recorded |= {m.meal_id: RecordedMeal(m, cancelled=False) for m in new}
        await self._uow.publish(*(m.consumed() for m in new))
        return new

    async def cancel(self, meal_id: uuid.UUID, reason: str) -> None:
        await self._cancel([meal_id], reason)

    async def cancel_day(self, school_id: str, service_date: date, class_id: str, reason: str) -> int:
        concerned = self._concerned(school_id, service_date, service_date, class_id)
        return await self._cancel([r.meal.meal_id for r in concerned], reason)

    async def charged(self, school_id: str, first: date, last: date, class_id: str) -> int:
        return sum(not r.cancelled for r in self._concerned(school_id, first, last, class_id))

    def _concerned(self, school_id: str, first: date, last: date, class_id: str) -> list[RecordedMeal]:
        return [
            r
            for r in self.recorded.values()
            if school_id in (EVERY_SCHOOL, r.meal.school_id)
            and first <= r.meal.service_date <= last
            and class_id in (WHOLE_SCHOOL, r.meal.class_id)
        ]

    async def find(self, meal_id: uuid.UUID) -> RecordedMeal | None:
        return self.recorded.get(meal_id)

    async def tally(self, service_date: date, schools: Collection[str]) -> Tally:
        return Counter(
            (r.meal.school_id, r.meal.class_id, r.meal.diet)
            for r in self.recorded.values()
            if r.meal.service_date == service_date and r.meal.school_id in schools and not r.cancelled
        )

    async def schools(self, service_date: date) -> set[str]:
        return {r.meal.school_id for r in self.recorded.values() if r.meal.service_date == service_date}

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[RecordedMeal]:
        meals = [r for r in self.recorded.values() if r.meal.student_id == student_id]
        return [r for r in meals if first <= r.meal.service_date <= last]

    async def of_day(self, school_id: str, service_date: date) -> list[RecordedMeal]:
        return [
            r for r in self.recorded.values() if (r.meal.school_id, r.meal.service_date) == (school_id, service_date)
        ]

    async def _cancel(self, meal_ids: list[uuid.UUID], reason: str) -> int:
        charged = [self.recorded[i].meal for i in meal_ids if not self.recorded[i].cancelled]
        self.recorded |= {m.meal_id: RecordedMeal(m, cancelled=True, cancel_reason=reason) for m in charged}
        await self._uow.publish(*(m.cancelled(reason) for m in charged))
        return len(charged)


class FakeCorrections:
    def __init__(self) -> None:
        self.records: list[CorrectionRecord] = []

    async def record(self, correction: CorrectionRecord) -> None:
        self.records.append(replace(correction, corrected_at=NOW))

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[CorrectionRecord]:
        return [c for c in self.records if c.student_id == student_id and first <= c.service_date <= last]


class FakeTerminals:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, tuple[Terminal, str, bool]] = {}  # -> (terminal, digest, revoked)
        self.pairings: dict[uuid.UUID, PendingPairing] = {}
        self.paired: set[uuid.UUID] = set()

    async def add(self, terminal: Terminal, secret_digest: str, pairing: PendingPairing | None = None) -> None:
        self.rows[terminal.terminal_id] = (terminal, secret_digest, False)
        self._pairing(terminal.terminal_id, pairing)

    async def live(self, terminal_id: uuid.UUID) -> tuple[Terminal, str] | None:
        terminal, digest, revoked = self.rows.get(terminal_id, (None, "", True))
        return None if terminal is None or revoked else (terminal, digest)

    async def rotate(
        self, terminal_id: uuid.UUID, secret_digest: str, pairing: PendingPairing | None = None
    ) -> Terminal | None:
        if (found := await self.live(terminal_id)) is None:
            return None
        self.rows[terminal_id] = (found[0], secret_digest, False)
        self._pairing(terminal_id, pairing)
        return found[0]

    async def pair(self, code_digest: str, secret_digest: str, now: datetime) -> Terminal | None:
        for terminal_id, pairing in list(self.pairings.items()):
            live = await self.live(terminal_id)
            if live and pairing.code_digest == code_digest and pairing.expires_at > now:
                del self.pairings[terminal_id]
                self.paired.add(terminal_id)
                return await self.rotate(terminal_id, secret_digest)
        return None

    async def revoke(self, terminal_id: uuid.UUID) -> bool:
        if terminal_id not in self.rows:
            return False
        terminal, digest, _ = self.rows[terminal_id]
        self.rows[terminal_id] = (terminal, digest, True)
        self.pairings.pop(terminal_id, None)
        return True

    async def listed(self) -> list[TerminalRecord]:
        return [
            TerminalRecord(
                t,
                NOW,
                NOW if i in self.paired else None,
                NOW if revoked else None,
                p.expires_at if (p := self.pairings.get(i)) else None,
            )
            for i, (t, _, revoked) in self.rows.items()
        ]

    def _pairing(self, terminal_id: uuid.UUID, pairing: PendingPairing | None) -> None:
        if pairing is None:
            self.pairings.pop(terminal_id, None)
        else:
            self.pairings[terminal_id] = pairing


class FakeChanges:
    def __init__(self) -> None:
        self.received: dict[uuid.UUID, str] = {}  # key -> kind

    async def claim(self, change_id: uuid.UUID, kind: str, sent_by: str) -> bool:
        if change_id in self.received:
            return False
        self.received[change_id] = kind
        return True


class FakeAttendanceUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.days = FakeDays()
        self.roster = FakeRoster()
        self.absences = FakeAbsences()
        self.meals = FakeMeals(self)
        self.corrections = FakeCorrections()
        self.terminals = FakeTerminals()
        self.changes = FakeChanges()
        self._committed: list[dict[str, Any]] = []

    async def __aenter__(self) -> Self:
        self._committed = self._rows()
        return await super().__aenter__()

    async def commit(self) -> None:
        await super().commit()
        self._committed = self._rows()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        for repository, rows in zip(self._repositories(), self._committed, strict=True):
            vars(repository).update(rows)
        await super().__aexit__(kind, error, tb)

    def _repositories(self) -> list[object]:
        return [self.days, self.roster, self.absences, self.meals, self.corrections, self.terminals, self.changes]

    def _rows(self) -> list[dict[str, Any]]:
        """A copy of every repository's rows (its public attributes)."""
        return [
            {name: copy.deepcopy(value) for name, value in vars(r).items() if not name.startswith("_")}
            for r in self._repositories()
        ]

    def enrol(
        self, school_id: str, class_id: str, n: int = 1, diet: str = "standard", names: Sequence[str] = ()
    ) -> list[RosterEntry]:
        """`n` children enrolled and active in the class for the school year of `DAY` (named
        "First L", in order, when `names` says so)."""
        entries = [RosterEntry(uuid.uuid4(), uuid.uuid4(), school_id, class_id, diet) for _ in range(n)]
        for entry, name in zip(entries, [*names, *[""] * n], strict=False):
            self.roster.rows[entry.student_id, str(SchoolYear.of(DAY))] = (entry, True)
            first, _, last = name.partition(" ")
            self.roster.names[entry.student_id] = (first, last[:1])
        return entries
