"""From `balance-changed`: low-credit and in-debt alerts, and the balance projection reminders read.

Idempotency: inbox (rule `alert-on-balance` in `notifications.consumers`), in the same transaction as the
projection and the delivery-log rows; the rows' cause is the ledger entry id, unique per rule,
channel and family, so even a replay from offset 0 with an empty inbox sends nothing twice.
Events of one account arrive in order (keyed by account). Emits nothing on Kafka.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import balance
from notifications.domain.notices import Notice
from notifications.domain.policy import Policy
from notifications.domain.rules import BalanceState, Rule, balance_alert
from notifications.handlers.ports import Clock
from notifications.handlers.queue_notices import queue_notices
from shared.db import SqlUnitOfWork
from shared.events import BalanceChanged, Envelope


async def alert_on_balance(
    uow: SqlUnitOfWork, changes: Sequence[Envelope[BalanceChanged]], policy: Policy, clock: Clock
) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    states = await _states(uow, {e.data.account_id for e in changes})
    notices = []
    for envelope in changes:
        change = envelope.data
        state = states.setdefault(change.account_id, BalanceState(change.balance_before_cents, None))
        state.apply(change.balance_after_cents, envelope.occurred_at)
        rule = balance_alert(change.balance_before_cents, change.balance_after_cents, policy.low_credit_threshold_cents)
        if rule is not None:
            params = {"balance_cents": change.balance_after_cents}
            if rule is Rule.LOW_CREDIT:
                params["threshold_cents"] = policy.low_credit_threshold_cents
            notices.append(Notice(change.account_id, rule, str(change.entry_id), params, event_id=envelope.event_id))
    await _store(uow, states)
    await queue_notices(uow.connection, notices, clock(), policy.quiet_hours)


async def _states(uow: SqlUnitOfWork, account_ids: set[object]) -> dict[object, BalanceState]:
    rows = await uow.connection.execute(
        select(balance.c.account_id, balance.c.balance_cents, balance.c.negative_since).where(
            balance.c.account_id.in_(account_ids)
        )
    )
    return {r.account_id: BalanceState(r.balance_cents, r.negative_since) for r in rows}


async def _store(uow: SqlUnitOfWork, states: dict[object, BalanceState]) -> None:
    statement = insert(balance).values(
        [
            {"account_id": account, "balance_cents": s.balance_cents, "negative_since": s.negative_since}
            for account, s in states.items()
        ]
    )
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=[balance.c.account_id],
            set_={name: statement.excluded[name] for name in ("balance_cents", "negative_since")},
        )
    )
