import uuid
from datetime import date

from attendance.domain.calendar import Calendar, DayService
from attendance.domain.meals import RosterEntry, meal_id, who_eats
from shared.secrets import digest, matches, new_secret


def test_meal_ids_are_deterministic_by_student_day_and_type() -> None:
    student = uuid.uuid4()
    assert meal_id(student, date(2026, 11, 25)) == meal_id(student, date(2026, 11, 25))
    assert meal_id(student, date(2026, 11, 25)) != meal_id(student, date(2026, 11, 26))
    assert meal_id(student, date(2026, 11, 25), "lunch") != meal_id(student, date(2026, 11, 25), "snack")


def test_the_absent_do_not_eat() -> None:
    roster = [RosterEntry(uuid.uuid4(), uuid.uuid4(), "s", "1A", "standard") for _ in range(4)]
    served = {"s": DayService.of(Calendar(), date(2026, 11, 25), [])}
    assert who_eats(roster, served, {("s", roster[1].student_id)}) == [roster[0], roster[2], roster[3]]


def test_terminal_secrets_are_stored_as_digests() -> None:
    secret = new_secret()
    assert secret not in digest(secret)
    assert matches(secret, digest(secret))
    assert not matches(secret + "x", digest(secret))
