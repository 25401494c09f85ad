"""The stairway: every service's migrations go up, all the way down, and up again, on PostgreSQL."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from alembic import command
from sqlalchemy.engine import make_url

from shared.migrations import alembic_config
from testkit.infra import SERVICES, Infra

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
async def scratch_database(infra: Infra) -> AsyncIterator[str]:
    url = make_url(infra.database_urls["accounts"])
    name = f"stairway_{uuid.uuid4().hex[:8]}"
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


@pytest.mark.parametrize("service", SERVICES)
async def test_up_down_up(service: str, scratch_database: str) -> None:
    config = alembic_config(ROOT / "services" / service / "migrations", scratch_database)
    for step in (
        lambda: command.upgrade(config, "head"),
        lambda: command.downgrade(config, "base"),
        lambda: command.upgrade(config, "head"),
    ):
        await asyncio.to_thread(step)
