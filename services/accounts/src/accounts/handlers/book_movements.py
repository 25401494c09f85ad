"""The one way money moves: book movements and announce each new balance, in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from accounts.adapters import ledger_repository
from accounts.domain import ledger
from shared.db import SqlUnitOfWork
from shared.events import BalanceChanged


async def book_movements(
    uow: SqlUnitOfWork, movements: Sequence[ledger.Movement], locked: dict[uuid.UUID, int] | None = None
) -> list[ledger.Posted]:
    """Books what was not booked yet and queues one `balance-changed` per new entry; `locked` are
    balances the caller already locked (they are not locked again)."""
    posted = await ledger_repository.book(uow.connection, movements, locked)
    await uow.publish(*(_balance_changed(p) for p in posted))
    return posted


def _balance_changed(posted: ledger.Posted) -> BalanceChanged:
    return BalanceChanged(
        account_id=posted.movement.account_id,
        entry_id=posted.entry_id,
        cause=posted.movement.cause.value,
        amount_cents=posted.movement.amount_cents,
        balance_before_cents=posted.balance_before_cents,
        balance_after_cents=posted.balance_after_cents,
    )
