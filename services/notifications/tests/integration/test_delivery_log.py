import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from notifications.adapters.sql_delivery_log import SqlDeliveryLog
from notifications.domain.delivery import Route, State
from notifications.domain.notices import Entry, Notice
from notifications.domain.rules import Rule


async def test_a_large_audience_is_logged_once_whatever_the_number_of_rows(
    notifications: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """More rows than one statement may carry parameters for; the second time, none is new."""
    cause = str(uuid.uuid4())
    rows = [
        Entry(
            Notice(uuid.uuid4(), Rule.BROADCAST, cause, {"subject": "S", "text": "T"}),
            channel,
            Route(State.SUPPRESSED_OPT_OUT),  # out of the sender's way
        )
        for _ in range(1800)
        for channel in ("email", "sms")
    ]
    async with engine.begin() as conn:
        assert await SqlDeliveryLog(conn, lambda _: None).add(rows) == 3600
    async with engine.begin() as conn:
        assert await SqlDeliveryLog(conn, lambda _: None).add(rows) == 0
