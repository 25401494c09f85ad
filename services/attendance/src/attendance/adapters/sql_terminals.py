"""School terminals on PostgreSQL; secrets only as digests."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import terminal
from attendance.domain.terminals import Terminal


class SqlTerminals:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, created: Terminal, secret_digest: str) -> None:
        await self._conn.execute(
            terminal.insert().values(id=created.terminal_id, school_id=created.school_id, secret_digest=secret_digest)
        )

    async def live(self, terminal_id: uuid.UUID) -> tuple[Terminal, str] | None:
        row = (
            await self._conn.execute(
                select(terminal.c.school_id, terminal.c.secret_digest).where(
                    terminal.c.id == terminal_id, terminal.c.revoked_at.is_(None)
                )
            )
        ).first()
        return (Terminal(terminal_id, row.school_id), row.secret_digest) if row else None

    async def rotate(self, terminal_id: uuid.UUID, secret_digest: str) -> Terminal | None:
        school_id = await self._conn.scalar(
            update(terminal)
            .where(terminal.c.id == terminal_id, terminal.c.revoked_at.is_(None))
            .values(secret_digest=secret_digest)
            .returning(terminal.c.school_id)
        )
        return Terminal(terminal_id, school_id) if school_id is not None else None

    async def revoke(self, terminal_id: uuid.UUID) -> bool:
        revoked = await self._conn.scalar(
            update(terminal)
            .where(terminal.c.id == terminal_id)
            .values(revoked_at=func.coalesce(terminal.c.revoked_at, func.now()))
            .returning(terminal.c.id)
        )
        return revoked is not None
