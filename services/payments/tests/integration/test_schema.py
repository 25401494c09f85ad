"""The tables the code declares (`adapters/tables.py`) are the tables the migrations build."""

from payments.adapters.tables import metadata
from payments.bootstrap import MIGRATIONS
from payments.config import PaymentsSettings
from shared.migrations import upgrade_to_head
from testkit.databases import scratch_database
from testkit.schema import drift


async def test_the_declared_tables_are_the_migrated_ones(settings: PaymentsSettings) -> None:
    async with scratch_database(settings.database_url, "payments_schema") as url:
        await upgrade_to_head(MIGRATIONS, url)
        assert await drift(url, metadata) == []
