"""Which meals a closed day produces: pure, no I/O."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

LUNCH = "lunch"


@dataclass(frozen=True)
class RosterEntry:
    student_id: uuid.UUID
    account_id: uuid.UUID
    school_id: str
    class_id: str
    diet: str


def meal_id(student_id: uuid.UUID, service_date: date, meal_type: str = LUNCH) -> uuid.UUID:
    """Deterministic: the same child, day and meal type always name the same meal."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"refettorio:meal:{student_id}:{service_date.isoformat()}:{meal_type}")


def present(roster: Iterable[RosterEntry], absent: set[uuid.UUID]) -> list[RosterEntry]:
    """Everyone enrolled and active who was not recorded absent eats, and is charged."""
    return [entry for entry in roster if entry.student_id not in absent]
