"""What notifications sent a family (for the office): cause, channel, state."""

from __future__ import annotations

import uuid

from accounts.handlers.ports import JsonObject, NotificationsGateway


async def deliveries(notifications: NotificationsGateway, account_id: uuid.UUID) -> list[JsonObject]:
    return await notifications.deliveries(account_id)
