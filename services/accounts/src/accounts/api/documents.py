"""The documents a family downloads: the estratto conto as CSV (Italian spreadsheet style), and
the yearly statement of meals paid as a PDF fit for the tax return (Italian, A4)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accounts.handlers.read_models import MovementLine, YearlyStatement
from shared.money import format_euro
from shared.spreadsheet import csv_text, decimal_euros


def movements_csv(lines: Sequence[MovementLine]) -> str:
    """`data;causale;descrizione;importo;saldo`, amounts as `-4,50` (the balance left empty where hidden)."""
    return csv_text(
        ["data", "causale", "descrizione", "importo", "saldo"],
        (
            (
                line.booked_at.date().isoformat(),
                line.cause,
                line.description,
                decimal_euros(line.amount_cents),
                "" if line.balance_after_cents is None else decimal_euros(line.balance_after_cents),
            )
            for line in lines
        ),
    )


def statement_pdf(statement: YearlyStatement, municipality: str) -> bytes:
    styles = getSampleStyleSheet()
    holder, year = statement.account, statement.year
    total = sum(line.cents for line in statement.meals)
    traceable = statement.traceable_payments_cents
    story = [
        Paragraph(f"{municipality} — Servizio di refezione scolastica", styles["Title"]),
        Paragraph(f"Attestazione delle spese per la mensa scolastica — anno {year}", styles["Heading2"]),
        Paragraph(
            f"Pagante: {holder.holder_first_name} {holder.holder_last_name}, codice fiscale {holder.holder_tax_code}",
            styles["Normal"],
        ),
        Spacer(1, 0.5 * cm),
        _table(_meal_rows(statement)),
        Spacer(1, 0.5 * cm),
        Paragraph(f"Totale pasti addebitati nell'anno: {format_euro(total)}", styles["Normal"]),
        Paragraph(f"Pagamenti tracciabili (pagoPA) nell'anno: {format_euro(traceable)}", styles["Normal"]),
        Paragraph(
            f"Importo detraibile (pasti pagati con mezzi tracciabili): {format_euro(min(total, traceable))}",
            styles["Heading3"],
        ),
        Paragraph(
            "I buoni pasto cartacei e le rettifiche non sono pagamenti tracciabili e non sono conteggiati.",
            styles["Italic"],
        ),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=f"Attestazione mensa {year}").build(story)
    return out.getvalue()


def _meal_rows(statement: YearlyStatement) -> list[list[str]]:
    rows = [["Alunno", "Scuola", "Pasti", "Importo"]]
    for line in statement.meals:
        child = statement.student(line.student_id)
        name = f"{child.first_name} {child.last_name}".strip() if child else ""
        school = child.school_id if child else None
        rows.append([name or "—", school or "—", str(line.meals), format_euro(line.cents)])
    return rows


def _table(rows: list[list[str]]) -> Table:
    table = Table(rows, colWidths=[6 * cm, 5 * cm, 2 * cm, 3 * cm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#888888"),
                ("BACKGROUND", (0, 0), (-1, 0), "#dddddd"),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table
