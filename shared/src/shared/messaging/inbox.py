"""The idempotent inbox: which events a consumer has already applied.

Invariant: a row `(consumer, event_id)` exists if and only if the effect of that event committed,
because the claim is inserted in the same transaction as the effect. A redelivered event finds
its row and is skipped; a crash before commit leaves neither the row nor the effect.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, DateTime, MetaData, PrimaryKeyConstraint, String, Table, Uuid, func, text
from sqlalchemy.ext.asyncio import AsyncConnection

TABLE = "inbox"


def define_table(metadata: MetaData) -> Table:
    """The one definition of the inbox (see `outbox.define_table`)."""
    return Table(
        TABLE,
        metadata,
        Column("consumer", String(100)),
        Column("event_id", Uuid),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id", name="inbox_pkey"),
    )


async def claim(conn: AsyncConnection, consumer: str, event_ids: Sequence[object]) -> set[object]:
    """Claims every id at once and returns those that were new.

    `INSERT ... ON CONFLICT DO NOTHING RETURNING`: a concurrent transaction claiming the same id
    waits on the row lock and then sees the conflict, so exactly one of them wins.
    """
    unique = list(dict.fromkeys(event_ids))
    if not unique:
        return set()
    # Two parameters whatever the batch size (an array, unnested by PostgreSQL): one cached
    # statement instead of a VALUES list compiled anew for every batch.
    result = await conn.execute(_CLAIM, {"consumer": consumer, "event_ids": unique})
    return set(result.scalars())


_CLAIM = text(
    """
    INSERT INTO inbox (consumer, event_id)
    SELECT :consumer, unnest(CAST(:event_ids AS uuid[]))
    ON CONFLICT DO NOTHING
    RETURNING event_id
    """
)
