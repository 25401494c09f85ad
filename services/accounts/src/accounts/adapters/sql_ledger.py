"""The ledger on PostgreSQL: account balances and their append-only entries.

Concurrency: accounts are locked `FOR UPDATE` in id order, so two transactions touching the same
accounts queue instead of losing an update or deadlocking. The unique `(source, source_id)` of
`ledger_entry` and its append-only trigger are the database's own guards.

The statements of a batch (the lock, the entries, the new balances) are one statement each
whatever the batch's size: ids and columns travel as arrays, which PostgreSQL unnests, so a
batch of a thousand meals costs three statements, not a thousand and two.
"""

from __future__ import annotations

import collections
import uuid
from collections.abc import Callable, Collection, Sequence

from prometheus_client import Counter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.domain.ledger import Cause, Movement, Posted

MOVEMENTS = Counter("refettorio_ledger_movements_total", "Ledger movements booked", ["cause"])


class SqlLedger:
    def __init__(self, connection: AsyncConnection, after_commit: Callable[[Callable[[], None]], None]) -> None:
        self._conn = connection
        self._after_commit = after_commit

    async def lock(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        if not account_ids:
            return {}
        rows = await self._conn.execute(_LOCK, {"ids": list(account_ids)})
        return {row.id: row.balance_cents for row in rows}

    async def booked(self, movements: Sequence[Movement]) -> set[tuple[str, str]]:
        done: set[tuple[str, str]] = set()
        for source in {m.source for m in movements}:  # one statement per source (`_OF_SOURCE`)
            ids = [m.source_id for m in movements if m.source == source]
            booked = await self._conn.execute(_BOOKED, _of_source(source, ids))
            done |= {(source, source_id) for source_id in booked.scalars()}
        return done

    async def movements_of(self, source: str, source_ids: Collection[str]) -> list[Movement]:
        rows = await self._conn.execute(_ENTRIES, _of_source(source, source_ids))
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
        await self._conn.execute(_APPEND, _columns(posted))
        self._after_commit(lambda: _count(posted))
        balances = {p.movement.account_id: p.balance_after_cents for p in posted}  # each account's last
        await self._conn.execute(_SET_BALANCES, {"ids": list(balances), "balances": list(balances.values())})


_LOCK = text("SELECT id, balance_cents FROM account WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE")
_APPEND = text(
    """
    INSERT INTO ledger_entry
        (id, account_id, cause, amount_cents, balance_after_cents, source, source_id, description, student_id, author,
         price_row, discount_row)
    SELECT * FROM unnest(
        CAST(:ids AS uuid[]), CAST(:account_ids AS uuid[]), CAST(:causes AS varchar[]),
        CAST(:amounts AS bigint[]), CAST(:balances AS bigint[]), CAST(:sources AS varchar[]),
        CAST(:source_ids AS varchar[]), CAST(:descriptions AS text[]), CAST(:student_ids AS uuid[]),
        CAST(:authors AS varchar[]), CAST(:price_rows AS varchar[]), CAST(:discount_rows AS varchar[])
    )
    """
)
# The entries of some facts of one source, by one probe of the unique `(source, source_id)`
# index per id: a LATERAL subquery for each unnested id, its LIMIT 1 keeping it a nested loop
# (the pair is unique: it drops nothing). `source_id = ANY(:ids)` let the planner pick a
# sequential scan of the whole ledger comparing every entry with every id (a parameter's array
# is not hashed under a prepared statement's generic plan): 150 ms for a batch of 500 meals on a
# ledger of only 15,000 entries, growing with the ledger; a plain join with the unnested ids
# became a hash join over the whole ledger.
_OF_SOURCE = """
    FROM unnest(CAST(:ids AS varchar[])) AS wanted (source_id),
    LATERAL (SELECT * FROM ledger_entry WHERE source = :source AND source_id = wanted.source_id LIMIT 1) AS entry
"""
_BOOKED = text("SELECT entry.source_id" + _OF_SOURCE)
_ENTRIES = text("SELECT entry.*" + _OF_SOURCE)
# The accounts are locked already (`lock`), so the order in which this updates them is free.
_SET_BALANCES = text(
    """
    UPDATE account SET balance_cents = new.balance
    FROM unnest(CAST(:ids AS uuid[]), CAST(:balances AS bigint[])) AS new (id, balance)
    WHERE account.id = new.id
    """
)


def _count(posted: Sequence[Posted]) -> None:
    for cause, n in collections.Counter(p.movement.cause.value for p in posted).items():
        MOVEMENTS.labels(cause).inc(n)


def _of_source(source: str, source_ids: Collection[str]) -> dict[str, object]:
    return {"source": source, "ids": list(dict.fromkeys(source_ids))}


def _columns(posted: Sequence[Posted]) -> dict[str, list[object]]:
    movements = [p.movement for p in posted]
    return {
        "ids": [p.entry_id for p in posted],
        "account_ids": [m.account_id for m in movements],
        "causes": [m.cause.value for m in movements],
        "amounts": [m.amount_cents for m in movements],
        "balances": [p.balance_after_cents for p in posted],
        "sources": [m.source for m in movements],
        "source_ids": [m.source_id for m in movements],
        "descriptions": [m.description for m in movements],
        "student_ids": [m.student_id for m in movements],
        "authors": [m.author for m in movements],
        "price_rows": [m.price_row for m in movements],
        "discount_rows": [m.discount_row for m in movements],
    }
