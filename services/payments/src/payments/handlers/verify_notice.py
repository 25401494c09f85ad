"""The node asks whether a notice is payable and for how much (paVerifyPaymentNotice). Reads
only; emits nothing."""

from __future__ import annotations

from dataclasses import dataclass

from payments.domain.faults import payable
from payments.domain.local_time import rome_date
from payments.domain.notice import Notice
from payments.domain.station import Station
from payments.handlers.ports import Clock, PaymentsUnitOfWork


@dataclass(frozen=True)
class NoticeQuery:
    """The notice the node asks about (its `qrCode`)."""

    creditor_fiscal_code: str
    notice_number: str


async def verify_notice(uow: PaymentsUnitOfWork, query: NoticeQuery, station: Station, clock: Clock) -> Notice:
    """The open notice, or the fault that tells the node why not (the all-zeros probe included)."""
    notice = None
    if query.creditor_fiscal_code == station.creditor_fiscal_code:
        async with uow:
            notice = await uow.notices.get(query.notice_number)
    return payable(notice, rome_date(clock()))
