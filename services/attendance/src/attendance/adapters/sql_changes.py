"""The terminal screen's changes by their idempotency key, on PostgreSQL (`terminal_change`)."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import terminal_change


class SqlChanges:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def claim(self, change_id: uuid.UUID, kind: str, sent_by: str) -> bool:
        """`INSERT ... ON CONFLICT DO NOTHING RETURNING`, in the transaction of the change's effect:
        a replay racing the first delivery waits on the row and finds it taken."""
        claimed = await self._conn.scalar(
            insert(terminal_change)
            .values(change_id=change_id, kind=kind, sent_by=sent_by)
            .on_conflict_do_nothing()
            .returning(terminal_change.c.change_id)
        )
        return claimed is not None
