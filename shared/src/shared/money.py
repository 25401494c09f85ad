"""Money is an integer number of euro cents; people see it as `€ 1.234,50`."""

from __future__ import annotations

import re

_AMOUNT = re.compile(r"^(?P<sign>-)?(?P<euros>\d{1,3}(?:\.\d{3})*|\d+)(?:,(?P<cents>\d{2}))?$")


class InvalidAmount(ValueError):
    """Raised when a text is not an amount in euro with at most two decimals."""


def format_euro(cents: int) -> str:
    """Italian formatting: thousands with dots, decimals with a comma, sign before the symbol."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError("amounts are integer cents")
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"


def parse_euro(text: str) -> int:
    """The inverse of `format_euro` (the `€` and spaces are optional): `"1.234,50"` -> 123450."""
    cleaned = text.replace("€", "").replace(" ", "").strip()
    match = _AMOUNT.match(cleaned)
    if match is None:
        raise InvalidAmount(f"not an amount in euro: {text!r}")
    cents = int(match["euros"].replace(".", "")) * 100 + int(match["cents"] or 0)
    return -cents if match["sign"] else cents
