"""A notice as it stands today (an open notice past its due date reads as expired), with where its
registration in ACA stands. Reads only."""

from __future__ import annotations

import uuid

from payments.domain.aca import NoticeView
from payments.domain.local_time import rome_date
from payments.domain.notice import known
from payments.handlers.ports import Clock, PaymentsUnitOfWork


async def get_notice(uow: PaymentsUnitOfWork, notice_number: str, clock: Clock) -> NoticeView:
    async with uow:
        notice = known(await uow.notices.get(notice_number))
        aca = await uow.aca_changes.status(notice_number)
    return NoticeView(notice.as_of(rome_date(clock())), aca)


async def notices_of(uow: PaymentsUnitOfWork, account_id: uuid.UUID, clock: Clock, limit: int = 50) -> list[NoticeView]:
    """A family's notices, newest first, each as it stands today."""
    today = rome_date(clock())
    async with uow:
        found = await uow.notices.of_account(account_id, limit)
        return [NoticeView(n.as_of(today), await uow.aca_changes.status(n.notice_number)) for n in found]
