"""The node asks whether a notice is payable and for how much (paVerifyPaymentNotice,
and the lookup behind paGetPayment). Reads only; emits nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from payments.adapters import notices
from payments.domain.faults import NOT_PAYABLE, Fault, NodeFault
from payments.domain.notice import Notice
from shared.db import SqlUnitOfWork


@dataclass(frozen=True)
class NoticeQuery:
    creditor_fiscal_code: str
    notice_number: str


async def find_payable_notice(uow: SqlUnitOfWork, query: NoticeQuery, ours: str, today: date) -> Notice:
    """The open notice, or the fault that tells the node why not (the all-zeros probe included)."""
    notice = await notices.get(uow, query.notice_number) if query.creditor_fiscal_code == ours else None
    if notice is None:
        raise NodeFault(Fault.UNKNOWN_NOTICE)
    fault = NOT_PAYABLE.get(notice.state_on(today))
    if fault is not None:
        raise NodeFault(fault)
    return notice


async def activate_notice(
    uow: SqlUnitOfWork, query: NoticeQuery, ours: str, today: date, amount_cents: int | None
) -> Notice:
    """paGetPayment(V2): the node locks the notice for a payment; our state stays open until the
    receipt. An amount the PSP saw that differs from the notice's is refused."""
    notice = await find_payable_notice(uow, query, ours, today)
    if amount_cents is not None and amount_cents != notice.amount_cents:
        raise NodeFault(Fault.SEMANTIC, "L'importo richiesto non corrisponde a quello dell'avviso")
    return notice
