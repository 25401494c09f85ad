"""The tables the code declares are the tables the migrations build."""

from pathlib import Path

from accounts.adapters.tables import metadata
from shared.migrations import upgrade_to_head
from testkit.databases import scratch_database
from testkit.infra import Infra
from testkit.schema import drift

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def test_the_metadata_matches_the_migrated_schema(infra: Infra) -> None:
    async with scratch_database(infra.database_urls["accounts"], "accounts_schema") as url:
        await upgrade_to_head(MIGRATIONS, url)
        assert await drift(url, metadata) == []
