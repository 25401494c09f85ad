"""Books movements: lock the accounts, skip facts already booked, insert, update each balance once.

Concurrency: the accounts of a batch are locked `FOR UPDATE` in id order, so two transactions
touching the same accounts queue instead of losing an update or deadlocking. The ledger's unique
`(source, source_id)` is the second guard after the inbox: a fact booked once is never rebooked.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import String, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, ledger_entry
from accounts.domain import ledger
from accounts.domain.exceptions import AccountNotFound


async def book(
    conn: AsyncConnection, movements: Sequence[ledger.Movement], locked: dict[uuid.UUID, int] | None = None
) -> list[ledger.Posted]:
    """`locked`: balances the caller already locked in this transaction (`lock_balances`)."""
    movements = list(ledger.distinct_by_source(movements))
    if not movements:
        return []
    balances = dict(locked) if locked is not None else await lock_balances(conn, {m.account_id for m in movements})
    missing = {m.account_id for m in movements} - balances.keys()
    if missing:
        raise AccountNotFound(sorted(missing, key=str)[0])
    movements = await _not_yet_booked(conn, movements)
    if not movements:
        return []
    posted = ledger.post(balances, movements)
    await conn.execute(
        ledger_entry.insert(),
        [
            {
                "id": p.entry_id,
                "account_id": p.movement.account_id,
                "cause": p.movement.cause.value,
                "amount_cents": p.movement.amount_cents,
                "balance_after_cents": p.balance_after_cents,
                "source": p.movement.source,
                "source_id": p.movement.source_id,
                "description": p.movement.description,
                "student_id": p.movement.student_id,
                "author": p.movement.author,
            }
            for p in posted
        ],
    )
    touched = {p.movement.account_id for p in posted}
    await conn.execute(
        update(account).where(account.c.id == bindparam("account_id")).values(balance_cents=bindparam("balance")),
        [{"account_id": a, "balance": balances[a]} for a in sorted(touched, key=str)],
    )
    return posted


async def lock_balances(conn: AsyncConnection, account_ids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Locks the accounts (in id order: no deadlocks) for the rest of the transaction."""
    rows = await conn.execute(
        select(account.c.id, account.c.balance_cents)
        .where(account.c.id.in_(account_ids))
        .order_by(account.c.id)
        .with_for_update()
    )
    return {row.id: row.balance_cents for row in rows}


async def _not_yet_booked(conn: AsyncConnection, movements: list[ledger.Movement]) -> list[ledger.Movement]:
    done: set[tuple[str, str]] = set()
    for source in {m.source for m in movements}:  # one indexed lookup per source: `= ANY(array)`
        ids = [m.source_id for m in movements if m.source == source]
        booked = await conn.execute(
            select(ledger_entry.c.source_id).where(
                ledger_entry.c.source == source,
                ledger_entry.c.source_id == func.any(bindparam("ids", ids, type_=ARRAY(String))),
            )
        )
        done |= {(source, source_id) for source_id in booked.scalars()}
    return [m for m in movements if (m.source, m.source_id) not in done]
