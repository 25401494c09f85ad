"""The printable payment notice (A4, Italian), after the single-instalment model of pagoPA's
guide "L'avviso di pagamento pagoPA" (3.x): its modules in the guide's order.

1. Header: "AVVISO DI PAGAMENTO" and the subject (`AVVISO.OGGETTO`), the creditor beside it.
2. Creditor (`ENTE.CF`, `ENTE.NOME`, `ENTE.SETTORE`) and recipient (`DESTINATARIO.CF`, name).
3. "Quanto e quando pagare?" (`AVVISO.IMPORTO` in Italian format, `AVVISO.DATA` dd/mm/yyyy) and
   "Dove pagare?" with the guide's fixed texts (the Comune's own site is a channel: the portal).
4. Payment data, single instalment: the "Banche e altri canali" strip with the QR code
   (25 x 25 mm, vector, black on white: `PAGOPA|002|...`), recipient, creditor, subject, CBILL
   code, notice code in groups of four, creditor's fiscal code and amount.
Margins of 10 mm, at least 6 mm between modules. No postal account, so no Poste section.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from payments.domain.creditor import Creditor
from payments.domain.notice import Notice, NoticeNumber, qr_payload
from shared.money import format_euro

WIDTH, HEIGHT = A4
MARGIN = 10 * mm
QR_SIZE = 25 * mm
STRIP = 62 * mm  # the height of the "Banche e altri canali" portion
COLUMN = (WIDTH - 2 * MARGIN - 8 * mm) / 2
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"
GREY = (0.93, 0.94, 0.96)
AMOUNT_NOTE = (
    "È l'importo della ricarica scelta, da pagare in un'unica soluzione: il credito arriva sul conto "
    "della mensa appena pagoPA conferma il pagamento. Dopo la scadenza l'avviso non è più pagabile."
)
DIGITAL = (
    "oppure sul sito di {name}, dal tuo Home Banking, con la tua app di pagamento o con gli altri canali abilitati."
)
PHYSICAL = (
    "presso Banche e Sportelli ATM, negli Uffici Postali e Punti Postali, nei Bar, Edicole, Ricevitorie, "
    "Supermercati, Tabaccherie e altri Esercenti Convenzionati."
)
STRIP_NOTE = (
    "Qui accanto trovi il codice QR e il codice interbancario CBILL per pagare attraverso il circuito "
    "bancario e gli altri canali di pagamento abilitati."
)


def render(notice: Notice, creditor: Creditor) -> bytes:
    out = io.BytesIO()
    page = Canvas(out, pagesize=A4, pageCompression=1)
    page.setTitle(f"Avviso di pagamento {notice.notice_number}")
    page.setAuthor(creditor.name)
    y = _header(page, notice, creditor, HEIGHT - MARGIN)
    y = _parties(page, notice, creditor, y - 6 * mm)
    y = _how_much_and_where(page, notice, creditor, y - 8 * mm)
    _strip(page, notice, creditor, min(y - 14 * mm, MARGIN + STRIP + 20 * mm))  # at the foot of the page
    page.showPage()
    page.save()
    return out.getvalue()


def _amount(cents: int) -> str:
    """`1.020,99`: the guide's Italian format, without the currency sign."""
    return format_euro(cents).removeprefix("€ ")


def _text(page: Canvas, x: float, y: float, text: str, size: float = 9, bold: bool = False) -> None:
    page.setFont(BOLD if bold else REGULAR, size)
    page.drawString(x, y, text)


def _paragraph(page: Canvas, x: float, y: float, text: str, width: float, size: float = 9, bold: bool = False) -> float:
    """Wrapped to `width`; returns the baseline below its last line."""
    font = BOLD if bold else REGULAR
    for line in simpleSplit(text, font, size, width):
        _text(page, x, y, line, size, bold)
        y -= size * 1.3
    return y


def _header(page: Canvas, notice: Notice, creditor: Creditor, top: float) -> float:
    _text(page, MARGIN, top - 10, "AVVISO DI PAGAMENTO", 10, bold=True)
    bottom = _paragraph(page, MARGIN, top - 30, notice.description, WIDTH * 0.6, 16, bold=True)
    page.setFont(BOLD, 11)
    page.drawRightString(WIDTH - MARGIN, top - 10, creditor.name)
    page.setFont(REGULAR, 9)
    page.drawRightString(WIDTH - MARGIN, top - 23, "pagoPA")
    return bottom


def _parties(page: Canvas, notice: Notice, creditor: Creditor, top: float) -> float:
    left, right = MARGIN, MARGIN + COLUMN + 8 * mm
    _labelled(page, left, top, "ENTE CREDITORE", f"Cod. Fiscale {creditor.fiscal_code}")
    _text(page, left, top - 36, creditor.name, 11, bold=True)
    _text(page, left, top - 49, creditor.office)
    _labelled(page, right, top, "DESTINATARIO AVVISO", f"Cod. Fiscale {notice.debtor_tax_code}")
    _paragraph(page, right, top - 36, notice.debtor_name, COLUMN, 11, bold=True)
    return top - 56


def _labelled(page: Canvas, x: float, y: float, label: str, detail: str) -> None:
    _text(page, x, y - 10, label, 8, bold=True)
    _text(page, x, y - 20, detail, 8)


def _how_much_and_where(page: Canvas, notice: Notice, creditor: Creditor, top: float) -> float:
    left, right = MARGIN, MARGIN + COLUMN + 8 * mm
    _text(page, left, top - 10, "QUANTO E QUANDO PAGARE?", 10, bold=True)
    _text(page, left, top - 30, f"{_amount(notice.amount_cents)} Euro", 16, bold=True)
    _text(page, left, top - 46, f"entro il {notice.due_date:%d/%m/%Y}", 11, bold=True)
    low_left = _paragraph(page, left, top - 62, AMOUNT_NOTE, COLUMN, 8)
    _text(page, right, top - 10, "DOVE PAGARE?", 10, bold=True)
    _text(page, right, top - 21, "Lista dei canali di pagamento su www.pagopa.gov.it", 8)
    _text(page, right, top - 38, "PAGA CON L'APP IO", 9, bold=True)
    y = _paragraph(page, right, top - 50, DIGITAL.format(name=creditor.name), COLUMN, 8)
    _text(page, right, y - 8, "PAGA SUL TERRITORIO", 9, bold=True)
    low_right = _paragraph(page, right, y - 20, PHYSICAL, COLUMN, 8)
    return min(low_left, low_right)


def _strip(page: Canvas, notice: Notice, creditor: Creditor, top: float) -> None:
    """The "Banche e altri canali" portion of the single instalment."""
    page.setDash(3, 3)
    page.line(MARGIN, top + 18, WIDTH - MARGIN, top + 18)
    page.setDash()
    _text(page, MARGIN, top + 6, "Utilizza la porzione di avviso relativa al canale di pagamento che preferisci.", 8)
    height = STRIP
    page.setFillColorRGB(*GREY)
    page.rect(MARGIN, top - 9 * mm, WIDTH - 2 * MARGIN, 9 * mm, stroke=0, fill=1)
    page.setFillColorRGB(0, 0, 0)
    page.rect(MARGIN, top - height, WIDTH - 2 * MARGIN, height, stroke=1, fill=0)
    _text(page, MARGIN + 4 * mm, top - 6 * mm, "BANCHE E ALTRI CANALI", 10, bold=True)
    page.setFont(BOLD, 10)
    page.drawRightString(WIDTH - MARGIN - 4 * mm, top - 6 * mm, f"RATA UNICA entro il {notice.due_date:%d/%m/%Y}")
    _draw_qr(page, qr_payload(notice, creditor.fiscal_code), MARGIN + 4 * mm, top - 14 * mm - QR_SIZE)
    x = MARGIN + 8 * mm + QR_SIZE
    y = _paragraph(page, x, top - 15 * mm, STRIP_NOTE, WIDTH - x - MARGIN - 4 * mm, 8)
    _fields(page, x, y - 6, _strip_fields(notice, creditor))
    page.setFont(BOLD, 14)
    page.drawRightString(WIDTH - MARGIN - 4 * mm, top - height + 6 * mm, f"Euro {_amount(notice.amount_cents)}")


def _strip_fields(notice: Notice, creditor: Creditor) -> list[tuple[str, str]]:
    return [
        ("Destinatario", notice.debtor_name),
        ("Ente Creditore", creditor.name),
        ("Oggetto del pagamento", notice.description),
        ("Codice CBILL", creditor.cbill.upper()),
        ("Codice Avviso", NoticeNumber(notice.notice_number).printed),
        ("Cod. Fiscale Ente Creditore", creditor.fiscal_code),
    ]


def _fields(page: Canvas, x: float, y: float, fields: Sequence[tuple[str, str]]) -> None:
    for label, value in fields:
        _text(page, x, y, label, 7)
        _text(page, x + 42 * mm, y, value[:70], 9, bold=label == "Codice Avviso")
        y -= 12


def _draw_qr(page: Canvas, payload: str, x: float, y: float) -> None:
    widget = QrCodeWidget(payload, barLevel="M", barBorder=0)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, x, y)
