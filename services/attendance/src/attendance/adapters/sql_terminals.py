"""School terminals on PostgreSQL; secrets and pairing codes only as digests."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import terminal
from attendance.domain.terminals import PendingPairing, Terminal, TerminalRecord

_NO_PAIRING = {"pairing_digest": None, "pairing_expires_at": None}


class SqlTerminals:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, created: Terminal, secret_digest: str, pairing: PendingPairing | None = None) -> None:
        await self._conn.execute(
            terminal.insert().values(
                id=created.terminal_id,
                school_id=created.school_id,
                label=created.label,
                secret_digest=secret_digest,
                **_pairing(pairing),
            )
        )

    async def live(self, terminal_id: uuid.UUID) -> tuple[Terminal, str] | None:
        row = (
            await self._conn.execute(
                select(terminal.c.school_id, terminal.c.label, terminal.c.secret_digest).where(
                    terminal.c.id == terminal_id, terminal.c.revoked_at.is_(None)
                )
            )
        ).first()
        return (Terminal(terminal_id, row.school_id, row.label), row.secret_digest) if row else None

    async def rotate(
        self, terminal_id: uuid.UUID, secret_digest: str, pairing: PendingPairing | None = None
    ) -> Terminal | None:
        return await self._update({"secret_digest": secret_digest, **_pairing(pairing)}, terminal.c.id == terminal_id)

    async def pair(self, code_digest: str, secret_digest: str, now: datetime) -> Terminal | None:
        return await self._update(
            {"secret_digest": secret_digest, "paired_at": now, **_NO_PAIRING},
            terminal.c.pairing_digest == code_digest,
            terminal.c.pairing_expires_at > now,
        )

    async def revoke(self, terminal_id: uuid.UUID) -> bool:
        revoked = await self._conn.scalar(
            update(terminal)
            .where(terminal.c.id == terminal_id)
            .values(revoked_at=func.coalesce(terminal.c.revoked_at, func.now()), **_NO_PAIRING)
            .returning(terminal.c.id)
        )
        return revoked is not None

    async def listed(self) -> list[TerminalRecord]:
        rows = await self._conn.execute(select(terminal).order_by(terminal.c.school_id, terminal.c.created_at))
        return [
            TerminalRecord(
                Terminal(row.id, row.school_id, row.label),
                row.created_at,
                row.paired_at,
                row.revoked_at,
                row.pairing_expires_at,
            )
            for row in rows
        ]

    async def _update(self, values: dict[str, Any], *where: Any) -> Terminal | None:
        """A live terminal's new values; None if no live terminal matches."""
        row = (
            await self._conn.execute(
                update(terminal)
                .where(*where, terminal.c.revoked_at.is_(None))
                .values(**values)
                .returning(terminal.c.id, terminal.c.school_id, terminal.c.label)
            )
        ).first()
        return Terminal(row.id, row.school_id, row.label) if row else None


def _pairing(pairing: PendingPairing | None) -> dict[str, Any]:
    if pairing is None:
        return _NO_PAIRING
    return {"pairing_digest": pairing.code_digest, "pairing_expires_at": pairing.expires_at}
