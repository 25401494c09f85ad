"""Who eats on a school's day, the meals that charges, and the events they make: pure, no I/O."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from attendance.domain.calendar import DayService
from shared.events import MealCancelled, MealConsumed

LUNCH = "lunch"


@dataclass(frozen=True, slots=True)
class RosterEntry:
    student_id: uuid.UUID
    account_id: uuid.UUID
    school_id: str
    class_id: str
    diet: str


# Who was recorded absent on a day: (school, student), by the terminal's last post for the class
# or by a parent's announcement.
Absent = Collection[tuple[str, uuid.UUID]]


def who_eats(roster: Iterable[RosterEntry], services: Mapping[str, DayService], absent: Absent) -> list[RosterEntry]:
    """Who eats, and is charged: enrolled and active for the day's school year (the roster), in a
    class with service that day in its school, and not absent. The close charges them; the
    kitchen's forecast counts them."""
    return [
        entry
        for entry in roster
        if services[entry.school_id].serves(entry.class_id) and (entry.school_id, entry.student_id) not in absent
    ]


def meal_id(student_id: uuid.UUID, service_date: date, meal_type: str = LUNCH) -> uuid.UUID:
    """Deterministic: the same child, day and meal type always name the same meal."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"refettorio:meal:{student_id}:{service_date.isoformat()}:{meal_type}")


@dataclass(frozen=True, slots=True)
class Meal:
    """A meal a child ate, charged to the family's account."""

    meal_id: uuid.UUID
    student_id: uuid.UUID
    account_id: uuid.UUID
    school_id: str
    class_id: str
    diet: str
    service_date: date
    meal_type: str = LUNCH

    @classmethod
    def of(cls, entry: RosterEntry, service_date: date, meal_type: str = LUNCH) -> Meal:
        return cls(
            meal_id(entry.student_id, service_date, meal_type),
            entry.student_id,
            entry.account_id,
            entry.school_id,
            entry.class_id,
            entry.diet,
            service_date,
            meal_type,
        )

    def consumed(self) -> MealConsumed:
        return MealConsumed(
            meal_id=self.meal_id,
            student_id=self.student_id,
            account_id=self.account_id,
            school_id=self.school_id,
            class_id=self.class_id,
            service_date=self.service_date,
            meal_type=self.meal_type,
        )

    def cancelled(self, reason: str) -> MealCancelled:
        return MealCancelled(meal_id=self.meal_id, account_id=self.account_id, reason=reason)


@dataclass(frozen=True)
class RecordedMeal:
    """A meal as recorded: charged, or cancelled since."""

    meal: Meal
    cancelled: bool
    cancel_reason: str | None = None
