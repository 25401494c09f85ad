"""Errors PostgreSQL really raises after a failover or under load are classified as transient."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.messaging.consumer import is_transient, sqlstate_of


async def _error_of(engine: AsyncEngine, *statements: str) -> DBAPIError:
    """Runs the statements in one transaction; the last one must fail."""
    *setup, failing = statements
    async with engine.connect() as conn:
        for statement in setup:
            await conn.execute(text(statement))
        with pytest.raises(DBAPIError) as raised:
            await conn.execute(text(failing))
        await conn.rollback()
    return raised.value


async def test_a_statement_timeout_is_transient(engine: AsyncEngine) -> None:
    error = await _error_of(engine, "SET LOCAL statement_timeout = 10", "SELECT pg_sleep(1)")
    assert (sqlstate_of(error), is_transient(error)) == ("57014", True)


async def test_a_read_only_database_after_a_failover_is_transient(engine: AsyncEngine) -> None:
    error = await _error_of(engine, "SET LOCAL transaction_read_only = on", "CREATE TEMP TABLE t (x int)")
    assert (sqlstate_of(error), is_transient(error)) == ("25006", True)


async def test_a_broken_constraint_is_not_transient(engine: AsyncEngine) -> None:
    error = await _error_of(engine, "SELECT 1 / 0")
    assert (sqlstate_of(error), is_transient(error)) == ("22012", False)
