"""Reminders (solleciti) to families whose balance has been negative for too long.

Run daily by the service's schedule (and directly by tests, with their own `now`). At most one
per reminder period of a negative streak: the cause is `<account>:<streak start>:<period>`, so
running it twice, or on two replicas, logs nothing twice. Emits nothing on Kafka.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from sqlalchemy import select

from notifications.adapters.tables import balance
from notifications.domain.notices import Notice
from notifications.domain.policy import Policy
from notifications.domain.rules import Rule
from notifications.handlers.queue_notices import queue_notices
from shared.db import SqlUnitOfWork


async def remind_debtors(
    unit_of_work: Callable[[], SqlUnitOfWork],
    policy: Policy,
    now: datetime,
    only_accounts: Collection[uuid.UUID] | None = None,
) -> int:
    """Queues the reminders due at `now` (for `only_accounts`, when given); returns how many."""
    query = select(balance).where(
        balance.c.balance_cents < 0,
        balance.c.negative_since < now - timedelta(days=policy.reminders.after_days),
    )
    if only_accounts is not None:
        query = query.where(balance.c.account_id.in_(list(only_accounts)))
    async with unit_of_work() as uow:
        notices = []
        for row in await uow.connection.execute(query):
            period = policy.reminders.period(row.negative_since, now)
            if period is not None:
                cause = f"{row.account_id}:{row.negative_since:%Y%m%dT%H%M%S}:{period}"
                params = {"balance_cents": row.balance_cents, "negative_since": row.negative_since.isoformat()}
                notices.append(Notice(row.account_id, Rule.REMINDER, cause, params))
        queued = await queue_notices(uow.connection, notices, now, policy.quiet_hours)
        await uow.commit()
    return queued
