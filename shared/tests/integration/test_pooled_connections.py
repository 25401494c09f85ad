"""A connection the server ended while it sat in the pool is never handed out, even one
returned a moment ago (which is given out again without a ping: `shared.db._ping`)."""

import asyncio

from sqlalchemy import text

from shared.db import make_engine
from testkit.infra import Infra


async def test_a_connection_the_server_ended_in_the_pool_is_replaced(infra: Infra) -> None:
    url = infra.database_urls["kernel"]
    engine, admin = make_engine(url, pool_size=1, max_overflow=0), make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            ended = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with admin.connect() as conn:
            assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": ended})
        await asyncio.sleep(0.1)  # the server's goodbye reaches the idle connection
        async with engine.connect() as conn:  # back within the second: no ping would be sent
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != ended
    finally:
        await engine.dispose()
        await admin.dispose()
