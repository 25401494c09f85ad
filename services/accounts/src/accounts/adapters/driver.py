"""The asyncpg connection under a unit of work's SQLAlchemy connection, for the hot reads.

A statement run on it directly is one of asyncpg's prepared statements (kept per connection) with
nothing around it: no compilation, no cache key, no result proxy, no greenlet. Use it for a read
of a `reading()` unit of work, where each statement is its own transaction anyway; inside a
transaction SQLAlchemy sends BEGIN only with its own first statement, so a write path keeps to
SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection


def driver(connection: AsyncConnection) -> Any:
    """The `asyncpg.Connection` (no round trip: the connection is already checked out)."""
    sync = connection.sync_connection
    assert sync is not None, "the unit of work is entered"
    return sync.connection.driver_connection
