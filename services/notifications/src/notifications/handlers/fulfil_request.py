"""From `notification-requested`: password resets, the office's broadcasts, and the notices a
parent asked to receive in the app IO.

The audience is the listed accounts plus, for a school, every family with a child actively
enrolled there in the school year under way (a child enrolled elsewhere for next year still hears
from this year's school until September). Each family gets its own message: nothing in it belongs to another family.
Idempotency: inbox (rule `fulfil-request` in `notifications.consumers`) in the same transaction as the
delivery-log rows, whose cause is the request id. An unknown template or missing params is a
permanent error: the request is dead-lettered with the reason. A request only for channels
this service does not send on (IO without its key) sends nothing, and says so in the log.
Emits nothing on Kafka.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from notifications.domain.notices import Notice, request_notices
from notifications.domain.policy import Policy
from notifications.handlers.ports import Clock, NotificationsUnitOfWork
from notifications.handlers.queue_notices import queue_notices
from shared.events import Envelope, NotificationRequested
from shared.school_year import SchoolYear

log = logging.getLogger(__name__)


async def fulfil_requests(
    uow: NotificationsUnitOfWork, requests: Sequence[Envelope[NotificationRequested]], policy: Policy, clock: Clock
) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    notices: list[Notice] = []
    year = str(SchoolYear.of(clock().astimezone(policy.zone).date()))
    for envelope in requests:
        school = envelope.data.school_id
        notices += request_notices(envelope, await uow.enrolments.families_at(school, year) if school else [])
    off = [n for n in notices if not set(n.channels) & set(policy.channels)]
    if off:
        log.warning("requested only on channels this service does not send on", extra={"notices": len(off)})
    await queue_notices(uow, notices, clock(), policy)
