"""The printable payment notice (A4, Italian), after pagoPA's single-instalment layout.

Sections in the guide's order: subject, creditor, recipient, amount and due date, where to pay,
payment data (QR code `PAGOPA|002|...`, notice number in groups of four, CBILL code).
"""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from payments.domain.creditor import Creditor
from payments.domain.notice import Notice, NoticeNumber, qr_payload
from shared.money import format_euro

QR_SIZE = 25 * mm
WHERE_TO_PAY = (
    "Puoi pagare con l'app IO, sul sito del Comune, con il tuo home banking (CBILL),",
    "presso banche, uffici postali, sportelli ATM, punti vendita SISAL, Lottomatica",
    "e tabaccherie aderenti a pagoPA, inquadrando il codice QR o indicando il codice avviso.",
)


def render(notice: Notice, creditor: Creditor) -> bytes:
    out = io.BytesIO()
    page = Canvas(out, pagesize=A4, pageCompression=1)
    page.setTitle(f"Avviso di pagamento {notice.notice_number}")
    page.setAuthor(creditor.name)
    width, height = A4
    left, y = 20 * mm, height - 25 * mm

    def line(text: str, size: float = 10, bold: bool = False, gap: float = 6 * mm) -> None:
        nonlocal y
        page.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        page.drawString(left, y, text)
        y -= gap

    line("AVVISO DI PAGAMENTO pagoPA", 16, bold=True, gap=8 * mm)
    line(notice.description, 12, gap=10 * mm)
    line("ENTE CREDITORE", 9, bold=True, gap=5 * mm)
    line(f"{creditor.name} - {creditor.office}", gap=5 * mm)
    line(f"Codice fiscale {creditor.fiscal_code}", gap=9 * mm)
    line("DESTINATARIO AVVISO", 9, bold=True, gap=5 * mm)
    line(notice.debtor_name, gap=5 * mm)
    line(f"Codice fiscale {notice.debtor_tax_code}", gap=9 * mm)
    line(f"{format_euro(notice.amount_cents)} entro il {notice.due_date:%d/%m/%Y}", 14, bold=True, gap=10 * mm)
    line("DOVE PAGARE", 9, bold=True, gap=5 * mm)
    for text in WHERE_TO_PAY:
        line(text, 9, gap=5 * mm)
    y -= 5 * mm
    line("DATI PER IL PAGAMENTO - RATA UNICA", 9, bold=True, gap=5 * mm)
    top = y
    line(f"Codice avviso  {NoticeNumber(notice.notice_number).printed}", 11, bold=True, gap=5 * mm)
    line(f"Codice CBILL  {creditor.cbill}", gap=5 * mm)
    line(f"Codice fiscale ente creditore  {creditor.fiscal_code}", gap=5 * mm)
    line(f"Importo  {format_euro(notice.amount_cents)}", gap=5 * mm)
    _draw_qr(page, qr_payload(notice, creditor.fiscal_code), width - 20 * mm - QR_SIZE, top - QR_SIZE + 4 * mm)
    page.showPage()
    page.save()
    return out.getvalue()


def _draw_qr(page: Canvas, payload: str, x: float, y: float) -> None:
    widget = QrCodeWidget(payload, barLevel="M", barBorder=0)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, x, y)
