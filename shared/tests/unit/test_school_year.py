from datetime import date

import pytest

from shared.school_year import SchoolYear


def test_september_to_august() -> None:
    assert str(SchoolYear.of(date(2026, 9, 1))) == "2026/2027"
    assert str(SchoolYear.of(date(2027, 8, 31))) == "2026/2027"
    assert str(SchoolYear.of(date(2026, 8, 31))) == "2025/2026"
    assert date(2027, 6, 10) in SchoolYear.parse("2026/2027")
    assert date(2027, 9, 1) not in SchoolYear.parse("2026/2027")


def test_parse_and_next() -> None:
    year = SchoolYear.parse("2026/2027")
    assert (year.first_day, year.last_day, str(year.next())) == (date(2026, 9, 1), date(2027, 8, 31), "2027/2028")


@pytest.mark.parametrize("text", ["2026/2028", "2026-2027", "26/27", "2026/2027 "])
def test_not_a_school_year(text: str) -> None:
    with pytest.raises(ValueError, match="not a school year"):
        SchoolYear.parse(text)
