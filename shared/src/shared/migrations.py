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


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    return config


async def upgrade_to_head(migrations_dir: Path, database_url: str) -> None:
    """Applied at every start; alembic's own event loop runs in a worker thread."""
    await asyncio.to_thread(command.upgrade, alembic_config(migrations_dir, database_url), "head")


def run_env(service: str) -> None:
    """The body of every service's `migrations/env.py` (online mode only)."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"

    def migrate(connection: Connection) -> None:
        # Replicas starting together take turns: one migrates, the others find it done.
        connection.execute(sa.select(sa.func.pg_advisory_lock(zlib.crc32(f"migrate:{service}".encode()))))
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
        connection.execute(sa.select(sa.func.pg_advisory_unlock(zlib.crc32(f"migrate:{service}".encode()))))
        connection.commit()

    async def main() -> None:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()

    asyncio.run(main())


def create_messaging_tables() -> None:
    """The outbox and the inbox, for a service's first migration."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["id"], postgresql_where=sa.text("published_at IS NULL"))
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def drop_messaging_tables() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
