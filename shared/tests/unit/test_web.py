"""The web kernel's pure parts: Italian formatting and the CSRF token."""

from datetime import UTC, date, datetime

from shared.web.csrf import token_for
from shared.web.formatting import data_breve, data_lunga, data_ora, euro


def test_money_and_dates_read_in_italian() -> None:
    assert euro(123450) == "€ 1.234,50"
    assert euro(-450) == "-€ 4,50"
    assert data_lunga(date(2026, 12, 1)) == "martedì 1 dicembre 2026"
    assert data_breve(date(2026, 12, 1)) == "01/12/2026"


def test_a_moment_counts_on_its_italian_day() -> None:
    late = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # already 1 July in Rome
    assert data_lunga(late) == "mercoledì 1 luglio 2026"
    assert data_ora(datetime(2026, 12, 1, 11, 3, tzinfo=UTC)) == "1 dic 2026, 12:03"


def test_the_csrf_token_belongs_to_one_session_and_reveals_nothing_of_it() -> None:
    session = "a-random-session-token"
    assert token_for(session) == token_for(session)
    assert token_for(session) != token_for("another-session")
    assert session not in token_for(session)
