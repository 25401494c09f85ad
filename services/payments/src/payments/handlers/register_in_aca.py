"""Sends the queued changes of the notices to ACA (`POST /paCreatePosition`): one round.

At least once, in order per notice, and idempotent in effect. One round is one transaction: it
takes the sender's lock (replicas take turns), picks the latest due change of each notice
(marking the older pending ones superseded: the latest body carries the notice's whole state),
sends them, records each answer, and commits. A process that dies between ACA's answer and the
commit leaves the changes pending: the next round sends the same bodies again, which ACA takes
as an update of what it already holds (and an invalidation it already applied answers 409,
which counts as registered). A notice has at most one change in flight, so an older body never
overtakes a newer one. A registered cancellation turns the notice from `cancelling` into
`cancelled`. Emits nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter

from payments.domain.aca import Change, QueuedChange, Registration, RetryPolicy, after_attempt
from payments.handlers.ports import Aca, Clock, PaymentsUnitOfWork

log = logging.getLogger(__name__)


async def register_in_aca(
    uow: PaymentsUnitOfWork, aca: Aca, clock: Clock, retry: RetryPolicy, batch_size: int
) -> Counter[str]:
    """How many changes of this round were registered, failed or left pending."""
    async with uow:
        if not await uow.aca_changes.lock_sender():
            return Counter()
        due = await uow.aca_changes.due(clock(), batch_size)
        answers = await asyncio.gather(*(aca.register(change.position) for change in due))
        outcomes: Counter[str] = Counter()
        for change, answer in zip(due, answers, strict=True):
            attempt = after_attempt(change, answer, clock(), retry)
            await uow.aca_changes.record(change.id, attempt)
            await _settle(uow, change, attempt.state)
            outcomes[attempt.state.value] += 1
        await uow.commit()
    if outcomes[Registration.FAILED]:
        log.error("ACA refused changes", extra={"failed": outcomes[Registration.FAILED]})
    return outcomes


async def _settle(uow: PaymentsUnitOfWork, change: QueuedChange, state: Registration) -> None:
    if state is Registration.REGISTERED and change.change is Change.CANCELLED:
        await uow.notices.finish_cancelling(change.notice_number)
