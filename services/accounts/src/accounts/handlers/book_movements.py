"""The one way money moves: book movements and announce each new balance, in the caller's
transaction, on balances the caller locked (`uow.ledger.lock`) in that transaction.

The ledger's unique `(source, source_id)` is the guard after the inbox: a fact already booked
is skipped, never booked again, whatever is redelivered or replayed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from accounts.domain.exceptions import AccountNotFound
from accounts.domain.ledger import Movement, Posted, balance_changed, distinct_by_source, post
from accounts.handlers.ports import AccountsUnitOfWork


async def book_movements(
    uow: AccountsUnitOfWork, locked: Mapping[uuid.UUID, int], movements: Sequence[Movement]
) -> list[Posted]:
    """Books what was not booked yet and queues one `balance-changed` per new entry. `locked`
    holds the balances `uow.ledger.lock` returned; an account missing from it does not exist."""
    fresh = list(distinct_by_source(movements))
    missing = {m.account_id for m in fresh} - locked.keys()
    if missing:
        raise AccountNotFound(sorted(missing, key=str)[0])
    if fresh:
        booked = await uow.ledger.booked(fresh)
        fresh = [m for m in fresh if (m.source, m.source_id) not in booked]
    if not fresh:
        return []
    posted = post(dict(locked), fresh)
    await uow.ledger.append(posted)
    await uow.publish(*(balance_changed(p) for p in posted))
    return posted
