"""A notice as it stands today (an open notice past its due date reads as expired). Reads only."""

from __future__ import annotations

from payments.domain.local_time import rome_date
from payments.domain.notice import Notice, known
from payments.handlers.ports import Clock, PaymentsUnitOfWork


async def get_notice(uow: PaymentsUnitOfWork, notice_number: str, clock: Clock) -> Notice:
    async with uow:
        notice = known(await uow.notices.get(notice_number))
    return notice.as_of(rome_date(clock()))
