"""Idempotency keys on PostgreSQL: claimed with `INSERT ... ON CONFLICT DO NOTHING` in the
command's own transaction, so a concurrent request with the same key waits for the first."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import idempotency_key
from accounts.handlers.ports import StoredResponse


class SqlIdempotencyKeys:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def claim(self, scope: str, key: str, request_digest: str) -> StoredResponse | None:
        claimed = await self._conn.execute(
            insert(idempotency_key)
            .values(key=key, scope=scope, request_digest=request_digest, response={})
            .on_conflict_do_nothing()
            .returning(idempotency_key.c.key)
        )
        if claimed.first() is not None:
            return None
        stored = (
            await self._conn.execute(
                select(idempotency_key.c.request_digest, idempotency_key.c.response).where(
                    idempotency_key.c.key == key, idempotency_key.c.scope == scope
                )
            )
        ).one()
        return StoredResponse(stored.request_digest, dict(stored.response))

    async def remember(self, scope: str, key: str, response: dict[str, Any]) -> None:
        await self._conn.execute(
            update(idempotency_key)
            .where(idempotency_key.c.key == key, idempotency_key.c.scope == scope)
            .values(response=json.loads(json.dumps(response, default=str)))
        )
