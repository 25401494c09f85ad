"""Idempotency-Key for HTTP commands that move money.

The key is claimed first, in the command's own transaction (`INSERT ... ON CONFLICT DO NOTHING`):
a concurrent request with the same key waits for the first to commit, then finds the key and
gets the first response. The same key with a different body is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from accounts.adapters.tables import idempotency_key
from accounts.domain.exceptions import IdempotencyConflict
from shared.db import SqlUnitOfWork


def request_digest(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


async def once(
    uow: SqlUnitOfWork, scope: str, key: str | None, body: Any, command: Callable[[], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """Runs `command` (which must not commit) once per key; returns its response, or the stored one."""
    if key is None:
        response = await command()
        await uow.commit()
        return response
    digest = request_digest(body)
    claimed = await uow.connection.execute(
        insert(idempotency_key)
        .values(key=key, scope=scope, request_digest=digest, response={})
        .on_conflict_do_nothing()
        .returning(idempotency_key.c.key)
    )
    if claimed.first() is None:
        stored = (
            await uow.connection.execute(
                select(idempotency_key.c.request_digest, idempotency_key.c.response).where(
                    idempotency_key.c.key == key, idempotency_key.c.scope == scope
                )
            )
        ).one()
        if stored.request_digest != digest:
            raise IdempotencyConflict()
        return dict(stored.response)
    response = await command()
    await uow.connection.execute(
        update(idempotency_key)
        .where(idempotency_key.c.key == key, idempotency_key.c.scope == scope)
        .values(response=json.loads(json.dumps(response, default=str)))
    )
    await uow.commit()
    return response
