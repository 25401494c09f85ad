"""The node activates a notice for a payment (paGetPayment, paGetPaymentV2) and wants its payment
data. Emits nothing.

Activation is recorded on the notice, which is locked (`FOR UPDATE`) meanwhile: a cancellation or
a change waits for it, or it for them. From then on the notice can be neither cancelled nor
changed (the PSP may have taken the money, and the receipt may come after days of the node's
retries); it stays payable, as before, until its receipt or its due date.
"""

from __future__ import annotations

from payments.domain.faults import check_requested_amount, payable
from payments.domain.local_time import rome_date
from payments.domain.notice import Notice
from payments.domain.station import Station
from payments.handlers.ports import Clock, PaymentsUnitOfWork
from payments.handlers.verify_notice import NoticeQuery


async def activate_notice(
    uow: PaymentsUnitOfWork, query: NoticeQuery, amount_cents: int | None, station: Station, clock: Clock
) -> Notice:
    """A payable notice, checked as paVerifyPaymentNotice would (the all-zeros probe included); an
    amount the PSP saw that differs from the notice's is refused."""
    async with uow:
        found = None
        if query.creditor_fiscal_code == station.creditor_fiscal_code:
            found = await uow.notices.get(query.notice_number, for_update=True)
        notice = payable(found, rome_date(clock()))
        check_requested_amount(notice, amount_cents)
        await uow.notices.mark_activated(notice.notice_number, clock())
        await uow.commit()
    return notice
