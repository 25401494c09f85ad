"""From `payment-received`: a payment confirmation to the family.

Idempotency: inbox (consumer `notifications.confirm-payment`) in the same transaction as the
delivery-log rows, whose cause is the payment id (one per receipt). Emits nothing on Kafka.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from notifications.domain.notices import Notice
from notifications.domain.policy import Policy
from notifications.domain.rules import Rule
from notifications.handlers.ports import Clock
from notifications.handlers.queue_notices import queue_notices
from shared.db import UnitOfWork
from shared.events import Envelope, PaymentReceived

CONSUMER = "notifications.confirm-payment"


async def confirm_payment(
    envelopes: Sequence[Envelope[PaymentReceived]], unit_of_work: Callable[[], UnitOfWork], policy: Policy, clock: Clock
) -> None:
    async with unit_of_work() as uow:
        fresh = await uow.claim(CONSUMER, [e.event_id for e in envelopes])
        notices = [
            Notice(
                e.data.account_id,
                Rule.PAYMENT_CONFIRMATION,
                str(e.data.payment_id),
                {"amount_cents": e.data.amount_cents, "paid_at": e.data.paid_at.isoformat()},
                event_id=e.event_id,
            )
            for e in envelopes
            if e.event_id in fresh
        ]
        await queue_notices(uow.connection, notices, clock(), policy.quiet_hours)
        await uow.commit()
