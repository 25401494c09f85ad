"""From `notification-requested`: password resets, the office's broadcasts and reminders, and the
notices a parent asked to receive in the app IO.

The audience is the listed accounts plus, for `everyone`, a school or a class of a school, every
family with a child actively enrolled there in the school year under way (a child enrolled
elsewhere for next year still hears from this year's school until September). Each family gets
its own message: nothing in it belongs to another family. A reminder goes only to the families
still in debt, with their own debt (the balance projection). Idempotency: inbox (rule
`fulfil-request` in `notifications.consumers`) in the same transaction as the delivery-log
rows, whose cause is the request id: one request is sent once, however often it arrives.
An unknown template or missing params is a permanent error: the request is dead-lettered with
the reason. A request only for channels this service does not send on (IO without its key)
sends nothing, and says so in the log. Emits nothing on Kafka.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from notifications.domain.audience import Audience
from notifications.domain.notices import Notice, owed_reminders, request_notices
from notifications.domain.policy import Policy
from notifications.domain.rules import Rule
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
        notices += request_notices(envelope, await uow.enrolments.families_in(Audience.of(envelope.data), year))
    reminded = {n.account_id for n in notices if n.rule is Rule.REMINDER}
    notices = owed_reminders(notices, await uow.balances.of(reminded) if reminded else {})
    off = [n for n in notices if not set(n.channels) & set(policy.channels)]
    if off:
        log.warning("requested only on channels this service does not send on", extra={"notices": len(off)})
    await queue_notices(uow, notices, clock(), policy)
