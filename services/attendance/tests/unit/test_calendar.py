from datetime import UTC, date, datetime, time

from attendance.domain.calendar import WHOLE_SCHOOL, Calendar, DayService, month_bounds
from shared.school_year import SchoolYear


def test_the_default_calendar_serves_monday_to_friday() -> None:
    calendar = Calendar()
    assert calendar.serves_on(date(2026, 11, 27))  # Friday
    assert not calendar.serves_on(date(2026, 11, 28))  # Saturday


def test_the_cutoff_is_local_time_of_the_school() -> None:
    calendar = Calendar(cutoff=time(9, 30), timezone="Europe/Rome")
    winter, summer = date(2026, 11, 25), date(2027, 6, 9)
    assert calendar.cutoff_at(winter).astimezone(UTC).hour == 8
    assert calendar.cutoff_at(summer).astimezone(UTC).hour == 7
    assert calendar.announcements_open(winter, datetime(2026, 11, 25, 8, 29, tzinfo=UTC))
    assert not calendar.announcements_open(winter, datetime(2026, 11, 25, 8, 30, tzinfo=UTC))


def test_a_day_begins_at_midnight_of_the_school() -> None:
    calendar = Calendar(timezone="Europe/Rome")
    assert not calendar.has_begun(date(2026, 11, 25), datetime(2026, 11, 24, 22, 59, tzinfo=UTC))
    assert calendar.has_begun(date(2026, 11, 25), datetime(2026, 11, 24, 23, 0, tzinfo=UTC))
    assert calendar.has_begun(date(2026, 11, 24), datetime(2026, 11, 25, 12, 0, tzinfo=UTC))


def test_closures_close_a_class_or_the_whole_school() -> None:
    wednesday = date(2026, 11, 25)
    trip = DayService.of(Calendar(), wednesday, ["1B"])
    assert trip.school_serves and trip.serves("1A") and not trip.serves("1B")
    strike = DayService.of(Calendar(), wednesday, [WHOLE_SCHOOL])
    assert not strike.school_serves and not strike.serves("1A")
    assert not DayService.of(Calendar(), date(2026, 11, 29), []).serves("1A")


def test_school_years_run_from_september_to_august() -> None:
    assert str(SchoolYear.of(date(2026, 9, 1))) == "2026/2027"
    assert str(SchoolYear.of(date(2027, 8, 31))) == "2026/2027"
    assert str(SchoolYear.of(date(2026, 8, 31))) == "2025/2026"


def test_month_bounds() -> None:
    assert month_bounds(date(2027, 2, 14)) == (date(2027, 2, 1), date(2027, 2, 28))
    assert month_bounds(date(2026, 12, 1)) == (date(2026, 12, 1), date(2026, 12, 31))
