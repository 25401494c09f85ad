"""From `payment-received`: a payment confirmation to the family.

Idempotency: inbox (rule `confirm-payment` in `notifications.consumers`) in the same transaction as the
delivery-log rows, whose cause is the payment id (one per receipt). Emits nothing on Kafka.
"""

from __future__ import annotations

from collections.abc import Sequence

from notifications.domain.notices import Notice
from notifications.domain.policy import Policy
from notifications.domain.rules import Rule
from notifications.handlers.ports import Clock
from notifications.handlers.queue_notices import queue_notices
from shared.db import SqlUnitOfWork
from shared.events import Envelope, PaymentReceived


async def confirm_payment(
    uow: SqlUnitOfWork, payments: Sequence[Envelope[PaymentReceived]], policy: Policy, clock: Clock
) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    notices = [
        Notice(
            e.data.account_id,
            Rule.PAYMENT_CONFIRMATION,
            str(e.data.payment_id),
            {"amount_cents": e.data.amount_cents, "paid_at": e.data.paid_at.isoformat()},
            event_id=e.event_id,
        )
        for e in payments
    ]
    await queue_notices(uow.connection, notices, clock(), policy.quiet_hours)
