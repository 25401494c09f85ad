"""A family's notices as they stand today (an open notice past its due date reads as expired),
newest first. Reads only."""

from __future__ import annotations

import uuid
from dataclasses import replace

from payments.domain.local_time import rome_date
from payments.domain.notice import ListedNotice
from payments.handlers.ports import Clock, PaymentsUnitOfWork

MOST = 200


async def list_notices(uow: PaymentsUnitOfWork, account_id: uuid.UUID, clock: Clock) -> list[ListedNotice]:
    today = rome_date(clock())
    async with uow:
        found = await uow.notices.of_account(account_id, MOST)
    return [replace(listed, notice=listed.notice.as_of(today)) for listed in found]
