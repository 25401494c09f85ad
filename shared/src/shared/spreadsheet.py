"""CSV for spreadsheets: what the office and the families open in Excel or LibreOffice.

A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return at
its start) is written with a leading apostrophe, so a reason such as `=HYPERLINK(...)` typed into
an adjustment shows as text instead of running (OWASP's CSV injection). Numbers stay numbers:
`-4,50` and `-450` are left alone. Money is formatted from integer cents, never through floats.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def decimal_euros(cents: int) -> str:
    """`-4,50`: a spreadsheet's number in Italian style, no thousands separator, no currency."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str = ";") -> str:
    """The header and the rows, every cell through `safe_cell`, lines ended by CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()
