"""The stairway: every service's migrations go up, all the way down, and up again, on PostgreSQL."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command

from shared.migrations import alembic_config
from testkit import databases
from testkit.infra import SERVICES, Infra

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
async def scratch_database(infra: Infra) -> AsyncIterator[str]:
    async with databases.scratch_database(infra.database_urls["accounts"], "stairway") as url:
        yield url


@pytest.mark.parametrize("service", SERVICES)
async def test_up_down_up(service: str, scratch_database: str) -> None:
    config = alembic_config(ROOT / "services" / service / "migrations", scratch_database)
    for step in (
        lambda: command.upgrade(config, "head"),
        lambda: command.downgrade(config, "base"),
        lambda: command.upgrade(config, "head"),
    ):
        await asyncio.to_thread(step)
