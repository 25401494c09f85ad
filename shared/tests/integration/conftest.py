from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Column, MetaData, Table, Uuid
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import make_engine, make_metadata
from testkit.infra import Infra

metadata: MetaData = make_metadata()
applied = Table("applied", metadata, Column("event_id", Uuid, primary_key=True))


@pytest.fixture(scope="session")
async def engine(infra: Infra) -> AsyncIterator[AsyncEngine]:
    """The kernel's test database with an outbox, an inbox and a table standing for an effect."""
    engine = make_engine(infra.database_urls["kernel"])
    async with engine.begin() as conn:  # a test database: rebuilt, so that it has today's tables
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def applied_table() -> Table:
    return applied


@pytest.fixture(scope="session")
def outbox_table() -> Table:
    return metadata.tables["outbox"]
