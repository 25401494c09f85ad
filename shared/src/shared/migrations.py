"""Alembic helpers shared by the services' migration environments."""

from __future__ import annotations

import asyncio
import zlib
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.messaging import inbox, outbox


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    return config


async def upgrade_to_head(migrations_dir: Path, database_url: str) -> None:
    """Applied at every start; alembic's own event loop runs in a worker thread."""
    await asyncio.to_thread(command.upgrade, alembic_config(migrations_dir, database_url), "head")


def run_env(service: str, metadata: sa.MetaData) -> None:
    """The body of every service's `migrations/env.py` (online mode only); `metadata` is the
    service's tables, which a test compares with what the migrations build."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"

    def migrate(connection: Connection) -> None:
        # Replicas starting together take turns: one migrates, the others find it done. The lock
        # is the session's, taken and released outside the migration's transaction, so the next
        # replica looks only once the migration is committed.
        lock = sa.select(sa.func.pg_advisory_lock(zlib.crc32(f"migrate:{service}".encode())))
        unlock = sa.select(sa.func.pg_advisory_unlock(zlib.crc32(f"migrate:{service}".encode())))
        connection.execute(lock)
        connection.commit()
        try:
            # Alembic's ops name constraints after the target metadata's naming convention; the
            # migrations were written for PostgreSQL's default names (`roster_pkey`), so they run
            # without it, and only `alembic revision --autogenerate` compares with the metadata. A
            # test (`tests/test_migrations.py`) keeps the metadata and the migrations in agreement.
            autogenerating = bool(getattr(context.config.cmd_opts, "autogenerate", False))
            context.configure(connection=connection, target_metadata=metadata if autogenerating else None)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            connection.execute(unlock)
            connection.commit()

    async def main() -> None:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()

    asyncio.run(main())


def _messaging_tables() -> sa.MetaData:
    metadata = sa.MetaData()
    outbox.define_table(metadata)
    inbox.define_table(metadata)
    return metadata


def create_messaging_tables() -> None:
    """The outbox and the inbox, for a service's first migration, from their one definition."""
    _messaging_tables().create_all(op.get_bind())


def drop_messaging_tables() -> None:
    _messaging_tables().drop_all(op.get_bind())


def add_outbox_trace_context() -> None:
    """The outbox's `trace_context` column, for a service's migration after its first one. A
    database built since the column joined the outbox's one definition has it already."""
    op.execute("ALTER TABLE outbox ADD COLUMN IF NOT EXISTS trace_context text")


def drop_outbox_trace_context() -> None:
    op.execute("ALTER TABLE outbox DROP COLUMN IF EXISTS trace_context")
