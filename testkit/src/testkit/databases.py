"""Databases of a test's own on the test server, and plain DSNs for asyncpg."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import asyncpg
from sqlalchemy.engine import make_url

from shared.db import plain_dsn

__all__ = ["plain_dsn", "scratch_database"]


@contextlib.asynccontextmanager
async def scratch_database(database_url: str, prefix: str = "scratch") -> AsyncIterator[str]:
    """A new empty database on the server of `database_url`, dropped afterwards; yields its URL
    in the same (SQLAlchemy) form."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(plain_dsn(database_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            await _drop(admin, name)
        finally:
            await admin.close()


async def _drop(admin: asyncpg.Connection, name: str) -> None:
    """WITH (FORCE) ends our own sessions; a session of the server's own (a statistics or vacuum
    worker that just started on the new database) may need a moment to go: up to 30 s, for an
    autovacuum of a benchmark's city-sized tables."""
    attempts = 60
    for attempt in range(attempts):
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except asyncpg.InsufficientPrivilegeError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)
