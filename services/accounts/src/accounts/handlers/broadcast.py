"""A message from the office to every family with a child in a school (a service interruption).

Emits `notification-requested` for the school; notifications finds the families and sends it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from accounts.handlers.ports import AccountsUnitOfWork
from shared.events import Channel, NotificationRequested, Template


async def broadcast(
    uow: AccountsUnitOfWork, school_id: str, subject: str, text: str, channels: Sequence[Channel]
) -> uuid.UUID:
    request_id = uuid.uuid4()
    async with uow:
        await uow.publish(
            NotificationRequested(
                request_id=request_id,
                school_id=school_id,
                template=Template.BROADCAST,
                params={"subject": subject, "text": text},
                channels=list(channels),
            )
        )
        await uow.commit()
    return request_id
