"""The shapes every service's HTTP edge accepts for the values they share: days within plausible
school years, months, school years, amounts with a ceiling, pagoPA's notice numbers, and the
`Content-Disposition` of a download.

Each is a pydantic type that works as a body field, a path or a query parameter alike, so that
FastAPI refuses a value out of range with a 422 (`{code, message, details}`) before a handler
runs: never a `ValueError` of `datetime`, never a database error (year 0, int64 overflow).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from pydantic import AfterValidator, Field

from shared.school_year import SchoolYear

# Plausible school years: the service started long after 2000 and will be rewritten before 2100.
FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)

PlausibleDate = Annotated[
    date, Field(ge=EARLIEST, le=LATEST, description=f"A day from {EARLIEST} to {LATEST}", examples=["2026-11-25"])
]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, examples=[2026])]
# YYYY-MM, from 2000-01 to 2100-12.
MONTH = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
Month = Annotated[str, Field(pattern=MONTH, description="YYYY-MM", examples=["2026-11"])]


def _consecutive_years(text: str) -> str:
    """An anno scolastico spans two consecutive years, e.g. 2026/2027 (the kernel's own rule)."""
    return str(SchoolYear.parse(text))


SchoolYearText = Annotated[
    str,
    Field(pattern=r"^20[0-9]{2}/(20[0-9]{2}|2100)$", examples=["2026/2027"]),
    AfterValidator(_consecutive_years),
]

# pagoPA's ceiling for one payment, € 999.999.999,99: no amount anywhere in the system is larger,
# so none reaches the database's 64-bit integers. Services set lower ceilings where they mean one.
PAGOPA_MAX_CENTS = 99_999_999_999


def cents(*, minimum: int = 1, maximum: int = PAGOPA_MAX_CENTS, **field: Any) -> Any:
    """An amount in whole cents from `minimum` to `maximum` (both included)."""
    return Field(ge=minimum, le=maximum, **field)


# The 18 digits of a pagoPA notice number (codice avviso). No route takes an IUV (17 digits).
NoticeNumber = Annotated[str, Field(pattern=r"^[0-9]{18}$", examples=["302000000000000184"])]

_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def attachment(filename: str, disposition: str = "attachment") -> dict[str, str]:
    """A `Content-Disposition` header for a file name of any alphabet (names carry school ids):
    an ASCII fallback for old clients, and the name itself in RFC 6266's `filename*`."""
    fallback = _UNSAFE_IN_FILENAME.sub("_", filename)
    return {"Content-Disposition": f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"}


CSV_ANSWER: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}, "description": "A CSV file"}}
PDF_ANSWER: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}, "description": "A PDF"}}
