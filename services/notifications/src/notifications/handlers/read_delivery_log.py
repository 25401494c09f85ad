"""For the office: a family's delivery log, newest first, addresses masked."""

from __future__ import annotations

import dataclasses
import uuid

from notifications.domain.delivery import LoggedDelivery, mask
from notifications.handlers.ports import NotificationsUnitOfWork


async def read_delivery_log(uow: NotificationsUnitOfWork, account_id: uuid.UUID, limit: int) -> list[LoggedDelivery]:
    async with uow:
        rows = await uow.deliveries.of_account(account_id, limit)
    return [dataclasses.replace(row, recipient=mask(row.recipient)) for row in rows]
