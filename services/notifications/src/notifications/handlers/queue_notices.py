"""Turns notices into delivery-log rows: one per channel the service sends on, routed by
opt-outs and quiet hours.

Runs inside the caller's transaction (the inbox claim or the reminder run), so a notice is logged
exactly when the fact that caused it is marked processed. Returns how many rows were new.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from notifications.domain.notices import Notice, routed
from notifications.domain.policy import Policy
from notifications.handlers.ports import NotificationsUnitOfWork


async def queue_notices(uow: NotificationsUnitOfWork, notices: Sequence[Notice], now: datetime, policy: Policy) -> int:
    cards = await uow.contacts.cards({n.account_id for n in notices})
    return await uow.deliveries.add(routed(notices, cards, now, policy.quiet_hours, policy.channels))
