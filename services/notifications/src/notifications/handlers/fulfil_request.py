"""From `notification-requested`: password resets and the office's broadcasts.

The audience is the listed accounts plus, for a school, every family with a child actively
enrolled there. Each family gets its own message: nothing in it belongs to another family.
Idempotency: inbox (rule `fulfil-request` in `notifications.consumers`) in the same transaction as the
delivery-log rows, whose cause is the request id. An unknown template or missing params is a
permanent error: the request is dead-lettered with the reason. Emits nothing on Kafka.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from notifications.adapters.tables import enrolment
from notifications.domain.exceptions import InvalidRequest
from notifications.domain.notices import Notice, requested
from notifications.domain.policy import Policy
from notifications.handlers.ports import Clock
from notifications.handlers.queue_notices import queue_notices
from shared.db import SqlUnitOfWork
from shared.events import Envelope, NotificationRequested


async def fulfil_requests(
    uow: SqlUnitOfWork, requests: Sequence[Envelope[NotificationRequested]], policy: Policy, clock: Clock
) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    notices: list[Notice] = []
    for envelope in requests:
        request = envelope.data
        rule, channels = requested(request.template, request.params, request.channels)
        cause, params = str(request.request_id), dict(request.params)
        notices += [
            Notice(account, rule, cause, params, channels, envelope.event_id)
            for account in await _audience(uow, request)
        ]
    await queue_notices(uow.connection, notices, clock(), policy.quiet_hours)


async def _audience(uow: SqlUnitOfWork, request: NotificationRequested) -> list[uuid.UUID]:
    if not request.account_ids and request.school_id is None:
        raise InvalidRequest("La richiesta non indica i destinatari.", "destinatari_mancanti")
    accounts = list(request.account_ids)
    if request.school_id is not None:
        query = (
            select(enrolment.c.account_id)
            .where(enrolment.c.school_id == request.school_id, enrolment.c.active)
            .distinct()
        )
        accounts += list((await uow.connection.execute(query)).scalars())
    return list(dict.fromkeys(accounts))
