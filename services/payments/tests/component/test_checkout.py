"""Online payment: the Checkout cart for an open notice, and the clear errors around it."""

from typing import Any

import httpx

from payments.config import PaymentsSettings


async def test_an_open_notice_gets_a_checkout_page(payments: httpx.AsyncClient, new_notice: Any, checkout: Any) -> None:
    notice = await new_notice(1234)
    started = await payments.post(
        f"/internal/notices/{notice['notice_number']}/checkout",
        json={"return_url": "https://mensa.example.it/ricarica", "email": "a@example.it"},
    )
    assert started.status_code == 200, started.text
    body = started.json()
    assert body["checkout_url"] == f"{checkout.url}/c/{body['cart_id']}"
    cart = checkout.carts[body["cart_id"]]
    assert cart["paymentNotices"][0]["noticeNumber"] == notice["notice_number"]
    assert cart["paymentNotices"][0]["amount"] == 1234
    assert cart["returnUrls"]["returnOkUrl"].startswith("https://mensa.example.it/ricarica")
    assert cart["emailNotice"] == "a@example.it"


async def test_a_closed_notice_or_an_unreachable_checkout_is_refused_clearly(
    payments: httpx.AsyncClient, new_notice: Any, settings: PaymentsSettings
) -> None:
    notice = await new_notice(500)
    await payments.post(f"/internal/notices/{notice['notice_number']}/cancel")
    refused = await payments.post(
        f"/internal/notices/{notice['notice_number']}/checkout",
        json={"return_url": "https://mensa.example.it/ricarica"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "avviso_non_pagabile"

    other = await new_notice(600)
    real_url = settings.checkout_api_url
    settings.checkout_api_url = "http://127.0.0.1:9"  # nothing listens on the discard port
    try:
        down = await payments.post(
            f"/internal/notices/{other['notice_number']}/checkout",
            json={"return_url": "https://mensa.example.it/ricarica"},
        )
    finally:
        settings.checkout_api_url = real_url
    assert down.status_code == 503 and down.json()["code"] == "checkout_non_disponibile"
