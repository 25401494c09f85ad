"""Does a service's metadata describe the schema its migrations build? (Alembic's autogenerate
comparison, run on a database the migrations brought to head.)"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine


async def drift(database_url: str, metadata: MetaData) -> list[Any]:
    """The differences, as Alembic lists them (empty when the two agree)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
    finally:
        await engine.dispose()
