"""From `payment-received`: a payment confirmation to the family.

Idempotency: inbox (rule `confirm-payment` in `notifications.consumers`) in the same transaction as the
delivery-log rows, whose cause is the payment id (one per receipt). Emits nothing on Kafka.
"""

from __future__ import annotations

from collections.abc import Sequence

from notifications.domain.notices import payment_notice
from notifications.domain.policy import Policy
from notifications.handlers.ports import Clock, NotificationsUnitOfWork
from notifications.handlers.queue_notices import queue_notices
from shared.events import Envelope, PaymentReceived


async def confirm_payment(
    uow: NotificationsUnitOfWork, payments: Sequence[Envelope[PaymentReceived]], policy: Policy, clock: Clock
) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    await queue_notices(uow, [payment_notice(e) for e in payments], clock(), policy)
