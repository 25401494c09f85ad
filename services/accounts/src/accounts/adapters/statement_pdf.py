"""The yearly statement of meals paid, as a PDF fit for the tax return (Italian, A4)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shared.money import format_euro


def render(statement: dict[str, Any], year: int, municipality: str) -> bytes:
    styles = getSampleStyleSheet()
    holder = statement["account"]
    rows = [["Alunno", "Scuola", "Pasti", "Importo"]]
    total = 0
    for line in statement["meals"]:
        child = statement["students"].get(line["student_id"], {})
        name = f"{child.get('first_name', '')} {child.get('last_name', '')}".strip() or "—"
        rows.append([name, child.get("school_id") or "—", str(line["meals"]), format_euro(line["cents"])])
        total += line["cents"]
    traceable = statement["traceable_payments_cents"]
    story = [
        Paragraph(f"{municipality} — Servizio di refezione scolastica", styles["Title"]),
        Paragraph(f"Attestazione delle spese per la mensa scolastica — anno {year}", styles["Heading2"]),
        Paragraph(
            f"Pagante: {holder['holder_first_name']} {holder['holder_last_name']}, "
            f"codice fiscale {holder['holder_tax_code']}",
            styles["Normal"],
        ),
        Spacer(1, 0.5 * cm),
        _table(rows),
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
