"""The node activates a notice for a payment (paGetPayment, paGetPaymentV2) and wants its payment
data. Our state stays open until the receipt: activation locks nothing. Reads only; emits nothing.
"""

from __future__ import annotations

from payments.domain.faults import check_requested_amount
from payments.domain.notice import Notice
from payments.domain.station import Station
from payments.handlers.ports import Clock, PaymentsUnitOfWork
from payments.handlers.verify_notice import NoticeQuery, verify_notice


async def activate_notice(
    uow: PaymentsUnitOfWork, query: NoticeQuery, amount_cents: int | None, station: Station, clock: Clock
) -> Notice:
    """A payable notice, verified as paVerifyPaymentNotice would; an amount the PSP saw that
    differs from the notice's is refused."""
    notice = await verify_notice(uow, query, station, clock)
    check_requested_amount(notice, amount_cents)
    return notice
