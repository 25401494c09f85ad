"""From `balance-changed`: low-credit and in-debt alerts, and the balance projection reminders read.

Idempotency: inbox (rule `alert-on-balance` in `notifications.consumers`), in the same transaction as the
projection and the delivery-log rows; the rows' cause is the ledger entry id, unique per rule,
channel and family, so even a replay from offset 0 with an empty inbox sends nothing twice.
Events of one account arrive in order (keyed by account). Emits nothing on Kafka.
"""

from __future__ import annotations

from collections.abc import Sequence

from notifications.domain.notices import balance_notice
from notifications.domain.policy import Policy
from notifications.domain.rules import BalanceState
from notifications.handlers.ports import Clock, NotificationsUnitOfWork
from notifications.handlers.queue_notices import queue_notices
from shared.events import BalanceChanged, Envelope


async def alert_on_balance(
    uow: NotificationsUnitOfWork, changes: Sequence[Envelope[BalanceChanged]], policy: Policy, clock: Clock
) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    states = await uow.balances.of({e.data.account_id for e in changes})
    for envelope in changes:
        change = envelope.data
        state = states.setdefault(change.account_id, BalanceState(change.balance_before_cents, None))
        state.apply(change.balance_after_cents, envelope.occurred_at)
    await uow.balances.save(states)
    alerts = [balance_notice(e, policy.low_credit_threshold_cents) for e in changes]
    await queue_notices(uow, [a for a in alerts if a is not None], clock(), policy)
