"""pagoPA Checkout, the platform's payment pages: a cart of notices in, a redirect out.

`POST /checkout/ec/v1/carts` with the notices and the creditor's return URLs; Checkout answers
302 and its `Location` is the page where the parent chooses how to pay. Checkout then activates
the notice at the node (our paGetPayment, with the cart id) and the receipt arrives by paSendRT,
like a counter payment's.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from shared.errors import TransientError


class CheckoutUnavailable(TransientError):
    code = "checkout_non_disponibile"

    def __init__(self) -> None:
        super().__init__("Il servizio di pagamento online pagoPA non è raggiungibile. Riprova più tardi.")


@dataclass(frozen=True)
class CartNotice:
    notice_number: str
    creditor_fiscal_code: str
    amount_cents: int
    company_name: str
    description: str


async def start_cart(
    api_url: str, subscription_key: str, cart_id: str, notice: CartNotice, return_url: str, email: str | None
) -> str:
    """Returns the Checkout page for a cart of one notice."""
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
    } | ({"emailNotice": email} if email else {})
    try:
        async with httpx.AsyncClient(timeout=10.0, follow_redirects=False) as http:
            response = await http.post(
                f"{api_url}/checkout/ec/v1/carts", json=body, headers={"Ocp-Apim-Subscription-Key": subscription_key}
            )
    except httpx.HTTPError as error:
        raise CheckoutUnavailable() from error
    location = response.headers.get("location")
    if response.status_code != 302 or not location:
        raise CheckoutUnavailable()
    return location
