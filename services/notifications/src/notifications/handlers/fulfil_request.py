"""From `notification-requested`: password resets and the office's broadcasts.

The audience is the listed accounts plus, for a school, every family with a child actively
enrolled there. Each family gets its own message: nothing in it belongs to another family.
Idempotency: inbox (rule `fulfil-request` in `notifications.consumers`) in the same transaction as the
delivery-log rows, whose cause is the request id. An unknown template or missing params is a
permanent error: the request is dead-lettered with the reason. Emits nothing on Kafka.
"""

from __future__ import annotations

from collections.abc import Sequence

from notifications.domain.notices import Notice, request_notices
from notifications.domain.policy import Policy
from notifications.handlers.ports import Clock, NotificationsUnitOfWork
from notifications.handlers.queue_notices import queue_notices
from shared.events import Envelope, NotificationRequested


async def fulfil_requests(
    uow: NotificationsUnitOfWork, requests: Sequence[Envelope[NotificationRequested]], policy: Policy, clock: Clock
) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    notices: list[Notice] = []
    for envelope in requests:
        school = envelope.data.school_id
        notices += request_notices(envelope, await uow.enrolments.families_at(school) if school is not None else [])
    await queue_notices(uow, notices, clock(), policy.quiet_hours)
