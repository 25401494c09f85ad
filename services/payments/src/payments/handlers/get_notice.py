"""A notice as it stands today (an open notice past its due date reads as expired), with where its
registration in ACA stands. Reads only."""

from __future__ import annotations

from payments.domain.aca import NoticeView
from payments.domain.local_time import rome_date
from payments.domain.notice import known
from payments.handlers.ports import Clock, PaymentsUnitOfWork


async def get_notice(uow: PaymentsUnitOfWork, notice_number: str, clock: Clock) -> NoticeView:
    async with uow:
        notice = known(await uow.notices.get(notice_number))
        aca = await uow.aca_changes.status(notice_number)
    return NoticeView(notice.as_of(rome_date(clock())), aca)
