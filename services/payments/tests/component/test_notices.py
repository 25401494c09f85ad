"""Payment notices through the internal API: numbers, states, the printable PDF and its QR code."""

import io
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pypdfium2
import zxingcpp

from payments.domain.notice import NoticeNumber
from testkit.data import rome_today


async def test_a_notice_gets_a_fresh_checked_number(new_notice: Any, payments: httpx.AsyncClient) -> None:
    first, second = await new_notice(1), await new_notice(123456789)  # from one cent (the ceiling: test_bad_input)
    for created in (first, second):
        number = created["notice_number"]
        assert number.startswith("302") and NoticeNumber(number).has_valid_check_digits()
        assert created["iuv"] == number[1:] and created["state"] == "open"
        assert created["creditor_fiscal_code"] == "01234567897"
        assert created["description"] == "Ricarica conto mensa - Anna Verdi"
    assert first["notice_number"] != second["notice_number"]
    assert second["amount_display"] == "€ 1.234.567,89"
    assert first["qr_code"] == f"PAGOPA|002|{first['notice_number']}|01234567897|01"
    fetched = (await payments.get(f"/internal/notices/{first['notice_number']}")).json()
    assert fetched | {"aca": None} == first | {"aca": None}
    assert (first["aca"]["change"], first["aca"]["state"], first["activated"]) == ("created", "pending", False)


async def test_bad_requests_are_refused(payments: httpx.AsyncClient, new_notice: Any) -> None:
    good = {"account_id": "7f1c1d7e-5c55-4a0e-9a55-c7e2b6d0a111", "debtor_tax_code": "RSSMRA80A01H501U"}
    for bad in (
        {"amount_cents": 0},
        {"amount_cents": 12.5},
        {"amount_cents": 100, "debtor_tax_code": "RSSMRA80A01H501X"},
        {"amount_cents": 100, "due_date": str(rome_today() - timedelta(days=2))},
    ):
        response = await payments.post("/internal/notices", json=good | {"debtor_name": "Mario Rossi"} | bad)
        assert response.status_code == 422, bad
        assert response.json()["code"] == "richiesta_non_valida"
    assert (await payments.get("/internal/notices/300000000000000000")).status_code == 404
    unauthorised = await payments.get("/internal/notices/300000000000000000", headers={"Authorization": "Bearer x"})
    assert unauthorised.status_code == 401


async def test_only_an_open_notice_can_be_cancelled(payments: httpx.AsyncClient, new_notice: Any) -> None:
    number = (await new_notice())["notice_number"]
    cancelled = await payments.post(f"/internal/notices/{number}/cancel")
    assert cancelled.json()["state"] == "cancelling"  # until ACA has invalidated it
    again = await payments.post(f"/internal/notices/{number}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "avviso_non_annullabile"


async def test_the_printed_notice_carries_the_qr_code(payments: httpx.AsyncClient, new_notice: Any) -> None:
    created = await new_notice(5000, debtor_name="Mario Rossi")
    response = await payments.get(f"/internal/notices/{created['notice_number']}/pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(io.BytesIO(response.content))
    page = pdf[0]
    width, height = page.get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = page.get_textpage().get_text_range()
    printed = created["printed_notice_number"]
    for expected in (  # the modules of pagoPA's single-instalment model
        "AVVISO DI PAGAMENTO",
        "ENTE CREDITORE",
        "DESTINATARIO AVVISO",
        "Mario Rossi",
        "QUANTO E QUANDO PAGARE?",
        "50,00 Euro",
        "DOVE PAGARE?",
        "PAGA CON L'APP IO",
        "PAGA SUL TERRITORIO",
        "BANCHE E ALTRI CANALI",
        "RATA UNICA entro il",
        "Codice CBILL",
        "Codice Avviso",
        printed,
        "Cod. Fiscale Ente Creditore",
        "01234567897",
        "Euro 50,00",
    ):
        assert expected in text, expected
    image = page.render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [f"PAGOPA|002|{created['notice_number']}|01234567897|5000"]
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode


async def test_a_familys_notices_are_listed_newest_first_with_their_state(
    payments: httpx.AsyncClient, new_notice: Any
) -> None:
    family = str(uuid.uuid4())
    first = await new_notice(1000, account_id=family)
    second = await new_notice(2000, account_id=family)
    await new_notice(3000)  # another family's
    await payments.post(f"/internal/notices/{first['notice_number']}/cancel")
    listed = (await payments.get("/internal/notices", params={"account_id": family})).json()
    assert [(n["notice_number"], n["state"], n["amount_display"]) for n in listed] == [
        (second["notice_number"], "open", "€ 20,00"),
        (first["notice_number"], "cancelling", "€ 10,00"),
    ]
    assert listed[0]["printed_notice_number"] == second["printed_notice_number"] and listed[0]["activated"] is False
