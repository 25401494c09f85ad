import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from notifications.adapters import delivery_log


async def test_a_large_audience_is_logged_once_whatever_the_number_of_rows(
    notifications: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """More rows than one statement may carry parameters for; the second time, none is new."""
    cause = str(uuid.uuid4())
    rows = [
        {
            "account_id": uuid.uuid4(),
            "rule": "broadcast",
            "cause_id": cause,
            "channel": channel,
            "params": {"subject": "S", "text": "T"},
            "state": "suppressed_opt_out",  # out of the sender's way
        }
        for _ in range(1800)
        for channel in ("email", "sms")
    ]
    async with engine.begin() as conn:
        assert await delivery_log.enqueue(conn, rows) == 3600
    async with engine.begin() as conn:
        assert await delivery_log.enqueue(conn, rows) == 0
