"""Hardening finding 11: CSV exports opened to formula injection."""

import csv
import io

from shared.spreadsheet import csv_text, decimal_euros, safe_cell


def test_a_cell_a_spreadsheet_would_run_is_written_as_text() -> None:
    for formula in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1"):
        assert safe_cell(formula) == "'" + formula
    for plain in ("Rettifica", "", "4,50", "-4,50", "-450", "12", "a=b", None):
        assert safe_cell(plain) == ("" if plain is None else plain)


def test_money_is_formatted_from_cents() -> None:
    assert [decimal_euros(c) for c in (0, 5, -450, 123456, -1)] == ["0,00", "0,05", "-4,50", "1234,56", "-0,01"]


def test_the_text_reads_back_as_the_same_safe_cells() -> None:
    text = csv_text(["data", "descrizione", "importo"], [("2026-11-23", "=cmd|' /C calc'!A0", "-4,50")])
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["data", "descrizione", "importo"],
        ["2026-11-23", "'=cmd|' /C calc'!A0", "-4,50"],
    ]
