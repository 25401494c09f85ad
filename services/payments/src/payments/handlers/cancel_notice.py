"""Cancels an open notice that no PSP has activated. Our station answers PAA_PAGAMENTO_ANNULLATO
from now on; the notice reads `cancelling` until ACA has invalidated it (the invalidation is queued
in the same transaction), then `cancelled`. Emits nothing.

While it reads `cancelling` the node's Stand-In may still take a payment for it: that receipt is
credited (the notice was payable there) and the notice is paid. A receipt that arrives once it
is `cancelled` is kept as an anomaly.

The notice is locked (`FOR UPDATE`), so a cancellation, an activation and a receipt for it are
serialised.
"""

from __future__ import annotations

from payments.domain.aca import Change, NoticeChange, NoticeView
from payments.domain.creditor import Creditor
from payments.domain.local_time import rome_date
from payments.domain.notice import known
from payments.handlers.ports import Clock, PaymentsUnitOfWork


async def cancel_notice(uow: PaymentsUnitOfWork, notice_number: str, creditor: Creditor, clock: Clock) -> NoticeView:
    async with uow:
        notice = known(await uow.notices.get(notice_number, for_update=True))
        cancelling = notice.being_cancelled(rome_date(clock()))
        await uow.notices.start_cancelling(notice_number)
        aca = await uow.aca_changes.queue(NoticeChange.of(cancelling, creditor, Change.CANCELLED))
        await uow.commit()
    return NoticeView(cancelling, aca)
