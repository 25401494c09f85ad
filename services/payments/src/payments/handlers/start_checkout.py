"""Online payment of an open notice: a pagoPA Checkout cart of that one notice, and the page to
send the parent to. Checkout then activates the notice at the node (our paGetPayment) and the
receipt arrives by paSendRT, like a counter payment's. Records when the cart was started (a
notice paid after it counts as paid online on the office's dashboard); emits nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from payments.domain.creditor import Creditor
from payments.domain.local_time import rome_date
from payments.domain.notice import known
from payments.handlers.ports import CartNotice, Checkout, Clock, PaymentsUnitOfWork


@dataclass(frozen=True)
class StartCheckout:
    notice_number: str
    return_url: str  # where Checkout sends the parent back
    email: str | None  # where Checkout sends the payment's outcome


@dataclass(frozen=True)
class CheckoutStarted:
    notice_number: str
    cart_id: str
    checkout_url: str


async def start_checkout(
    uow: PaymentsUnitOfWork, command: StartCheckout, checkout: Checkout, creditor: Creditor, clock: Clock
) -> CheckoutStarted:
    async with uow:
        notice = known(await uow.notices.get(command.notice_number))
    notice.check_payable_online(rome_date(clock()))
    cart_id = uuid.uuid4().hex
    cart = CartNotice(
        notice.notice_number, creditor.fiscal_code, notice.amount_cents, creditor.name, notice.description
    )
    url = await checkout.start_cart(cart_id, cart, command.return_url, command.email)
    async with uow:
        await uow.notices.mark_checkout(notice.notice_number, clock())
        await uow.commit()
    return CheckoutStarted(notice.notice_number, cart_id, url)
