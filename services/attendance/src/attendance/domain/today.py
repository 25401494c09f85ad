"""A school's day as its terminal shows it: the classes and their state, a class's children, and
what closing the day will charge. Pure, no I/O."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from attendance.domain.calendar import WHOLE_SCHOOL, Closure
from attendance.domain.days import Day
from attendance.domain.exceptions import UnrecordedClasses
from attendance.domain.marks import DayAbsences
from attendance.domain.meals import RosterEntry


@dataclass(frozen=True)
class Pupil:
    """A child as the canteen's screen names them: first name and the surname's initial only."""

    student_id: uuid.UUID
    class_id: str
    first_name: str
    surname_initial: str
    diet: str

    @property
    def name(self) -> str:
        if not self.first_name:
            return "Nome non ancora ricevuto"
        return f"{self.first_name} {self.surname_initial}." if self.surname_initial else self.first_name

    @property
    def sort_key(self) -> tuple[str, str]:
        return self.first_name.casefold(), self.surname_initial.casefold()


class ClassState(StrEnum):
    NO_SERVICE = "senza_servizio"  # a closure of the class (a trip) or of the school
    TO_RECORD = "da_rilevare"
    RECORDED = "rilevata"


@dataclass(frozen=True)
class ClassToday:
    class_id: str
    enrolled: int
    absent: int  # recorded by the terminal or announced by a parent
    state: ClassState

    @property
    def meals(self) -> int:
        return 0 if self.state is ClassState.NO_SERVICE else self.enrolled - self.absent


@dataclass(frozen=True)
class SchoolToday:
    day: Day
    classes: list[ClassToday]
    closures: list[Closure]  # of the day: of the whole school (class "") or of a class

    @property
    def school_closure(self) -> Closure | None:
        return next((c for c in self.closures if c.class_id == WHOLE_SCHOOL), None)

    @property
    def recorded(self) -> list[str]:
        return [c.class_id for c in self.classes if c.state is ClassState.RECORDED]

    @property
    def unrecorded(self) -> list[str]:
        return [c.class_id for c in self.classes if c.state is ClassState.TO_RECORD]

    @property
    def meals(self) -> int:
        """What the close charged, or will charge as things stand."""
        return self.day.close.meals if self.day.close else sum(c.meals for c in self.classes)

    def check_unrecorded(self, confirmed: bool | None) -> None:
        """A class not recorded counts everyone present, but only once the operator confirmed
        it (None: nobody was asked, the JSON API and the office)."""
        if confirmed is False and self.unrecorded:
            raise UnrecordedClasses(self.unrecorded)


def school_today(
    day: Day, roster: Iterable[RosterEntry], absences: DayAbsences, closures: Sequence[Closure]
) -> SchoolToday:
    enrolled: Counter[str] = Counter()
    absent: Counter[str] = Counter()
    for entry in roster:
        enrolled[entry.class_id] += 1
        absent[entry.class_id] += absences.absent(entry.student_id)

    def state(class_id: str) -> ClassState:
        if not day.service.serves(class_id):
            return ClassState.NO_SERVICE
        return ClassState.RECORDED if class_id in absences.registers else ClassState.TO_RECORD

    classes = [ClassToday(c, enrolled[c], absent[c], state(c)) for c in sorted(enrolled)]
    return SchoolToday(day, classes, list(closures))


@dataclass(frozen=True)
class PupilToday:
    pupil: Pupil
    absent: bool  # recorded by the terminal
    announced: bool  # announced by a parent: absent, whatever the terminal says


@dataclass(frozen=True)
class ClassRegister:
    """A class's children on the day, alphabetical, with their absences."""

    day: Day
    class_id: str
    taken: bool
    pupils: list[PupilToday]

    @property
    def served(self) -> bool:
        return self.day.service.serves(self.class_id)

    @property
    def absent(self) -> int:
        return sum(p.absent or p.announced for p in self.pupils)


def class_register(day: Day, class_id: str, pupils: Iterable[Pupil], absences: DayAbsences) -> ClassRegister:
    ordered = sorted((p for p in pupils if p.class_id == class_id), key=lambda p: p.sort_key)
    return ClassRegister(
        day,
        class_id,
        class_id in absences.registers,
        [PupilToday(p, p.student_id in absences.recorded, p.student_id in absences.announced) for p in ordered],
    )
