"""Terminals: registered by the office for one school; a terminal acts only for that school."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import terminal
from attendance.domain.exceptions import TerminalNotFound
from shared import secrets
from shared.db import SqlUnitOfWork


@dataclass(frozen=True)
class Terminal:
    terminal_id: uuid.UUID
    school_id: str


async def register_terminal(uow: SqlUnitOfWork, school_id: str) -> tuple[Terminal, str]:
    """Returns the terminal and its secret; the secret is shown once and stored as a digest."""
    secret = secrets.new_secret()
    created = Terminal(uuid.uuid4(), school_id)
    await uow.connection.execute(
        terminal.insert().values(id=created.terminal_id, school_id=school_id, secret_digest=secrets.digest(secret))
    )
    await uow.commit()
    return created, secret


async def authenticate(conn: AsyncConnection, terminal_id: uuid.UUID, secret: str) -> Terminal:
    row = (
        await conn.execute(
            select(terminal.c.school_id, terminal.c.secret_digest).where(
                terminal.c.id == terminal_id, terminal.c.revoked_at.is_(None)
            )
        )
    ).first()
    if row is None or not secrets.matches(secret, row.secret_digest):
        raise TerminalNotFound()
    return Terminal(terminal_id, row.school_id)


async def rotate_secret(uow: SqlUnitOfWork, terminal_id: uuid.UUID) -> tuple[Terminal, str]:
    """A new secret for a live terminal; the old one stops working at once."""
    secret = secrets.new_secret()
    row = (
        await uow.connection.execute(
            update(terminal)
            .where(terminal.c.id == terminal_id, terminal.c.revoked_at.is_(None))
            .values(secret_digest=secrets.digest(secret))
            .returning(terminal.c.school_id)
        )
    ).first()
    if row is None:
        raise TerminalNotFound()
    await uow.commit()
    return Terminal(terminal_id, row.school_id), secret


async def revoke(uow: SqlUnitOfWork, terminal_id: uuid.UUID) -> None:
    """Idempotent: revoking a revoked terminal keeps its first revocation time."""
    found = await uow.connection.scalar(select(terminal.c.id).where(terminal.c.id == terminal_id))
    if found is None:
        raise TerminalNotFound()
    await uow.connection.execute(
        update(terminal)
        .where(terminal.c.id == terminal_id, terminal.c.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    await uow.commit()
