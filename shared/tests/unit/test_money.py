import pytest

from shared.money import InvalidAmount, format_euro, parse_euro


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "€ 0,00"),
        (5, "€ 0,05"),
        (450, "€ 4,50"),
        (123450, "€ 1.234,50"),
        (100000000, "€ 1.000.000,00"),
        (-1250, "-€ 12,50"),
    ],
)
def test_format_and_parse_are_inverse(cents: int, text: str) -> None:
    assert format_euro(cents) == text
    assert parse_euro(text) == cents


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        format_euro(4.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["4,5", "4.50", "abc", "1,234", ""])
def test_malformed_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_euro(text)
