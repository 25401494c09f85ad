"""The ledger on PostgreSQL: account balances and their append-only entries.

Concurrency: accounts are locked `FOR UPDATE` in id order, so two transactions touching the same
accounts queue instead of losing an update or deadlocking. The unique `(source, source_id)` of
`ledger_entry` and its append-only trigger are the database's own guards.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, String, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, ledger_entry
from accounts.domain.ledger import Cause, Movement, Posted


class SqlLedger:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def lock(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        if not account_ids:
            return {}
        rows = await self._conn.execute(
            select(account.c.id, account.c.balance_cents)
            .where(account.c.id.in_(account_ids))
            .order_by(account.c.id)
            .with_for_update()
        )
        return {row.id: row.balance_cents for row in rows}

    async def booked(self, movements: Sequence[Movement]) -> set[tuple[str, str]]:
        done: set[tuple[str, str]] = set()
        for source in {m.source for m in movements}:  # one indexed lookup per source: `= ANY(array)`
            ids = [m.source_id for m in movements if m.source == source]
            booked = await self._conn.execute(select(ledger_entry.c.source_id).where(*_of_source(source, ids)))
            done |= {(source, source_id) for source_id in booked.scalars()}
        return done

    async def movements_of(self, source: str, source_ids: Collection[str]) -> list[Movement]:
        rows = await self._conn.execute(select(ledger_entry).where(*_of_source(source, source_ids)))
        return [
            Movement(
                r.account_id,
                Cause(r.cause),
                r.amount_cents,
                r.source,
                r.source_id,
                r.description,
                r.student_id,
                r.author,
            )
            for r in rows
        ]

    async def append(self, posted: Sequence[Posted]) -> None:
        if not posted:
            return
        await self._conn.execute(ledger_entry.insert(), [_row(p) for p in posted])
        balances = {p.movement.account_id: p.balance_after_cents for p in posted}  # each account's last
        await self._conn.execute(
            update(account).where(account.c.id == bindparam("account_id")).values(balance_cents=bindparam("balance")),
            [{"account_id": a, "balance": balances[a]} for a in sorted(balances, key=str)],
        )


def _of_source(source: str, source_ids: Collection[str]) -> tuple[ColumnElement[bool], ...]:
    return (
        ledger_entry.c.source == source,
        ledger_entry.c.source_id == func.any(bindparam("ids", list(source_ids), type_=ARRAY(String))),
    )


def _row(p: Posted) -> dict[str, object]:
    return {
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
