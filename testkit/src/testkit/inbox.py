"""What tests ask of a service's inbox."""

from __future__ import annotations

from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.messaging.inbox import define_table

_inbox = define_table(MetaData())


async def processed(conn: AsyncConnection, consumer: str, event_id: object) -> bool:
    query = select(_inbox.c.event_id).where(_inbox.c.consumer == consumer, _inbox.c.event_id == event_id)
    return (await conn.execute(query)).first() is not None
