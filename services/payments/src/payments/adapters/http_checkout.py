"""pagoPA Checkout, the platform's payment pages, over HTTP: a cart of notices in, a redirect out.

`POST /checkout/ec/v1/carts` with the notices and the creditor's return URLs; Checkout answers
302 and its `Location` is the page where the parent chooses how to pay. The creditor
authenticates with its subscription key.
"""

from __future__ import annotations

from typing import Any

import httpx

from payments.domain.exceptions import CheckoutUnavailable
from payments.handlers.ports import CartNotice


class HttpCheckout:
    def __init__(self, api_url: str, subscription_key: str) -> None:
        self._api_url = api_url
        self._subscription_key = subscription_key

    async def start_cart(self, cart_id: str, notice: CartNotice, return_url: str, email: str | None) -> str:
        try:
            async with httpx.AsyncClient(timeout=10.0, follow_redirects=False) as http:
                response = await http.post(
                    f"{self._api_url}/checkout/ec/v1/carts",
                    json=_cart(cart_id, notice, return_url, email),
                    headers={"Ocp-Apim-Subscription-Key": self._subscription_key},
                )
        except httpx.HTTPError as error:
            raise CheckoutUnavailable() from error
        location = response.headers.get("location")
        if response.status_code != 302 or not location:
            raise CheckoutUnavailable()
        return location


def _cart(cart_id: str, notice: CartNotice, return_url: str, email: str | None) -> dict[str, Any]:
    body = {
        "idCart": cart_id,
        "paymentNotices": [
            {
                "noticeNumber": notice.notice_number,
                "fiscalCode": notice.creditor_fiscal_code,
                "amount": notice.amount_cents,
                "companyName": notice.company_name[:140],
                "description": notice.description[:140],
            }
        ],
        "returnUrls": {
            "returnOkUrl": f"{return_url}?esito=ok",
            "returnCancelUrl": f"{return_url}?esito=annullato",
            "returnErrorUrl": f"{return_url}?esito=errore",
        },
    }
    return body | ({"emailNotice": email} if email else {})
