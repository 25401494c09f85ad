"""Commits are durable on every connection a service opens, whatever the server default says."""

from sqlalchemy import text
from sqlalchemy.engine import make_url

from shared.db import make_engine
from testkit.infra import Infra


async def test_a_database_default_of_off_cannot_undo_durable_commits(infra: Infra) -> None:
    url = infra.database_urls["kernel"]
    database = make_url(url).database
    admin = make_engine(url, pool_size=1)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'ALTER DATABASE "{database}" SET synchronous_commit = off'))
        service = make_engine(url, pool_size=1)
        try:
            async with service.connect() as conn:
                assert await conn.scalar(text("SHOW synchronous_commit")) == "on"
                # The database default really is off: a plain session (no kernel engine) sees it.
                default = await conn.scalar(
                    text(
                        "SELECT unnest(setconfig) FROM pg_db_role_setting s JOIN pg_database d "
                        "ON d.oid = s.setdatabase WHERE d.datname = :db AND s.setrole = 0"
                    ),
                    {"db": database},
                )
                assert default == "synchronous_commit=off"
        finally:
            await service.dispose()
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'ALTER DATABASE "{database}" RESET synchronous_commit'))
        await admin.dispose()
