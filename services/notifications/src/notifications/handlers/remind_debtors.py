"""Reminders (solleciti) to families whose balance has been negative for too long.

Run daily by the service's schedule (and directly by tests, with their own `now`). At most one
per reminder period of a negative streak: the cause is `<account>:<streak start>:<period>`, so
running it twice, or on two replicas, logs nothing twice. Emits nothing on Kafka.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from notifications.domain.notices import reminder_notice
from notifications.domain.policy import Policy
from notifications.handlers.ports import NotificationsUnitOfWork
from notifications.handlers.queue_notices import queue_notices


async def remind_debtors(
    uow: NotificationsUnitOfWork,
    policy: Policy,
    now: datetime,
    only_accounts: Collection[uuid.UUID] | None = None,
) -> int:
    """Queues the reminders due at `now` (for `only_accounts`, when given); returns how many."""
    async with uow:
        debtors = await uow.balances.negative_since_before(policy.reminders.overdue_since(now), only_accounts)
        reminders = [reminder_notice(account, state, now, policy.reminders) for account, state in debtors.items()]
        queued = await queue_notices(uow, [r for r in reminders if r is not None], now, policy)
        await uow.commit()
    return queued
