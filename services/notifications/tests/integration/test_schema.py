"""The tables the code declares (`adapters/tables.py`) are the ones the migrations build."""

from collections.abc import AsyncIterator

import pytest

from notifications.adapters.tables import metadata
from notifications.bootstrap import MIGRATIONS
from shared.migrations import upgrade_to_head
from testkit.databases import scratch_database
from testkit.infra import Infra
from testkit.schema import drift


@pytest.fixture
async def migrated(infra: Infra) -> AsyncIterator[str]:
    async with scratch_database(infra.database_urls["notifications"], "schema") as url:
        await upgrade_to_head(MIGRATIONS, url)
        yield url


async def test_the_metadata_matches_the_migrations(migrated: str) -> None:
    assert await drift(migrated, metadata) == []
