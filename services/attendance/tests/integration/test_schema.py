"""The tables the code declares are the tables the migrations build (indexes and types included)."""

from attendance.adapters.tables import metadata
from attendance.bootstrap import MIGRATIONS
from shared.migrations import upgrade_to_head
from testkit.databases import scratch_database
from testkit.infra import Infra
from testkit.schema import drift


async def test_the_migrations_build_what_the_tables_declare(infra: Infra) -> None:
    async with scratch_database(infra.database_urls["attendance"], "attendance_schema") as url:
        await upgrade_to_head(MIGRATIONS, url)
        assert await drift(url, metadata) == []
