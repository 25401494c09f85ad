from datetime import date
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.edge import PAGOPA_MAX_CENTS, Month, NoticeNumber, PlausibleDate, SchoolYearText, Year, attachment, cents
from shared.money import format_euro


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (PlausibleDate, ["2000-01-01", "2026-11-25", "2100-12-31"], ["0001-01-01", "1999-12-31", "2101-01-01"]),
        (Month, ["2000-01", "2026-11", "2100-12"], ["0000-01", "1999-12", "2101-01", "2026-13", "2026-1"]),
        (SchoolYearText, ["2000/2001", "2026/2027", "2099/2100"], ["0000/0001", "2026/2028", "2026/2026", "2100/2101"]),
        (Year, [2000, 2100], [0, 1999, 2101, 184479942386]),
        (NoticeNumber, ["302000000000000184"], ["abc", "3" * 17, "3" * 19, "3" * 17 + "?"]),
    ],
)
def test_the_edge_accepts_plausible_values_only(kind: Any, good: list[Any], bad: list[Any]) -> None:
    adapter = TypeAdapter(kind)
    for value in good:
        adapter.validate_python(value)
    for value in bad:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)
    assert TypeAdapter(PlausibleDate).validate_python("2026-11-25") == date(2026, 11, 25)


def test_amounts_stop_at_pagopa_maximum_unless_told_lower() -> None:
    anything = TypeAdapter(Annotated[int, cents()])
    assert format_euro(anything.validate_python(PAGOPA_MAX_CENTS)) == "€ 999.999.999,99"
    for bad in (0, PAGOPA_MAX_CENTS + 1, 2**63):
        with pytest.raises(ValidationError):
            anything.validate_python(bad)
    signed = TypeAdapter(Annotated[int, cents(minimum=-100, maximum=100)])
    assert signed.validate_python(-100) == -100
    with pytest.raises(ValidationError):
        signed.validate_python(101)


def test_a_download_name_of_any_alphabet_stays_an_ascii_header() -> None:
    header = attachment("pasti-scuola-città-2026-11-25.csv")["Content-Disposition"]
    assert header.isascii()
    assert header == (
        'attachment; filename="pasti-scuola-citt_-2026-11-25.csv"; '
        "filename*=UTF-8''pasti-scuola-citt%C3%A0-2026-11-25.csv"
    )
    assert attachment('a"b\r\n.pdf', "inline")["Content-Disposition"].startswith('inline; filename="a_b__.pdf"')
