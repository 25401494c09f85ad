"""The documents a family downloads: the estratto conto as CSV (Italian spreadsheet style), and
the statement of meals paid as a PDF fit for the tax return (Italian, A4; names are escaped:
reportlab reads its paragraphs as markup)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accounts.handlers.read_models import MovementLine, Statement
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


def statement_pdf(statement: Statement, municipality: str) -> bytes:
    """A4, Italian: the period, the payer (the holder), each child's meals and deductible share."""
    styles = getSampleStyleSheet()
    holder = statement.account
    payer = f"{holder.holder_first_name} {holder.holder_last_name}"
    deductible = sum(statement.deductible.get(m.student_id, 0) for m in statement.meals)
    story = [
        Paragraph(escape(f"{municipality} — Servizio di refezione scolastica"), styles["Title"]),
        Paragraph(
            escape(f"Attestazione delle spese per la mensa scolastica — {statement.period.title}"), styles["Heading2"]
        ),
        Paragraph(
            escape(f"Pagante: {payer}, codice fiscale {holder.holder_tax_code}"),
            styles["Normal"],
        ),
        Spacer(1, 0.5 * cm),
        _table(_meal_rows(statement)),
        Spacer(1, 0.5 * cm),
        Paragraph(
            f"Pagamenti tracciabili (pagoPA) del conto nel periodo: {format_euro(statement.traceable_payments_cents)}",
            styles["Normal"],
        ),
        Paragraph(
            f"Importo detraibile (pasti pagati con mezzi tracciabili): {format_euro(deductible)}", styles["Heading3"]
        ),
        Paragraph(
            "Spesa per la frequenza scolastica (servizio mensa), da indicare nel quadro E del modello 730, "
            "righi E8-E10 con il codice 12. I buoni pasto cartacei e le rettifiche non sono pagamenti "
            "tracciabili e non sono conteggiati.",
            styles["Italic"],
        ),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=f"Attestazione mensa {statement.period.title}").build(story)
    return out.getvalue()


def _meal_rows(statement: Statement) -> list[list[str]]:
    rows = [["Alunno", "Scuola", "Pasti", "Importo", "Detraibile"]]
    for line in statement.meals:
        child = statement.student(line.student_id)
        name = f"{child.first_name} {child.last_name}".strip() if child else ""
        school = child.school_id if child else None
        share = statement.deductible.get(line.student_id, 0)
        rows.append([name or "—", school or "—", str(line.meals), format_euro(line.cents), format_euro(share)])
    return rows


def _table(rows: list[list[str]]) -> Table:
    table = Table(rows, colWidths=[5 * cm, 4.5 * cm, 1.5 * cm, 2.75 * cm, 2.75 * cm])
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
