"""Cancels an open notice: the node will answer PAA_PAGAMENTO_ANNULLATO from now on, and a receipt
that still arrives for it is kept as an anomaly. Emits nothing.

The notice is locked (`FOR UPDATE`), so a cancellation and a receipt for it are serialised.
"""

from __future__ import annotations

from payments.domain.local_time import rome_date
from payments.domain.notice import Notice, NoticeState, known
from payments.handlers.ports import Clock, PaymentsUnitOfWork


async def cancel_notice(uow: PaymentsUnitOfWork, notice_number: str, clock: Clock) -> Notice:
    async with uow:
        notice = known(await uow.notices.get(notice_number, for_update=True))
        cancelled = notice.cancelled(rome_date(clock()))
        await uow.notices.close(notice_number, NoticeState.CANCELLED)
        await uow.commit()
    return cancelled
