"""The transactional outbox and its relay.

Invariants:
- an event leaves the service only if the transaction that implied it committed (the row is
  written through the caller's connection);
- a row is marked published only after Kafka acknowledged it (`acks=all`, idempotent producer);
  an undelivered row is never deleted: it is retried, with its attempts and last error recorded;
- per partition key, events leave in the order they were written: one relay at a time holds the
  service's advisory lock, and it publishes rows in id order.
A crash between Kafka's ack and the mark republishes the rows: consumers are idempotent by
`event_id`, so at-least-once delivery is exactly-once in effect.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.events import Envelope, Event

log = logging.getLogger(__name__)
TABLE = "outbox"


def define_table(metadata: MetaData) -> Table:
    return Table(
        TABLE,
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
    )


_table = define_table(MetaData())


async def add(conn: AsyncConnection, envelopes: Sequence[Envelope[Event]], topic_prefix: str = "") -> None:
    """Queues envelopes in the caller's transaction; each row names its full topic."""
    if not envelopes:
        return
    rows = [
        {
            "event_id": envelope.event_id,
            "topic": topic_prefix + envelope.data.topic.value,
            "key": envelope.data.partition_key(),
            "payload": envelope.to_json(),
        }
        for envelope in envelopes
    ]
    await conn.execute(_table.insert(), rows)
    await conn.execute(text("SELECT pg_notify('outbox', '')"))


class Producer(Protocol):
    async def send(self, topic: str, value: bytes, key: bytes) -> Any: ...


class OutboxRelay:
    """Publishes pending rows to Kafka; several replicas may run, one publishes at a time."""

    def __init__(
        self,
        engine: AsyncEngine,
        producer: Producer,
        lock_name: str,
        batch_size: int = 1000,
        idle_seconds: float = 0.05,
    ) -> None:
        self._engine = engine
        self._producer = producer
        self._lock_id = zlib.crc32(f"outbox:{lock_name}".encode())
        self._batch_size = batch_size
        self._idle_seconds = idle_seconds

    async def run(self) -> None:
        failures = 0
        while True:
            try:
                published = await self.publish_pending()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the rows stay; the attempt is recorded and retried
                failures += 1
                log.warning("outbox relay failed, will retry", extra={"error": repr(error)})
                await self._record_failure(error)
                await asyncio.sleep(min(0.1 * 2**failures, 5.0))
                continue
            if published < self._batch_size:
                await asyncio.sleep(self._idle_seconds)

    async def publish_pending(self) -> int:
        """Publishes one batch of pending rows, marking them only once all were acknowledged."""
        async with self._engine.begin() as conn:
            if not await conn.scalar(select(func.pg_try_advisory_xact_lock(self._lock_id))):
                return 0
            rows = (
                await conn.execute(
                    select(_table.c.id, _table.c.topic, _table.c.key, _table.c.payload)
                    .where(_table.c.published_at.is_(None))
                    .order_by(_table.c.id)
                    .limit(self._batch_size)
                )
            ).all()
            if not rows:
                return 0
            deliveries = [await self._producer.send(row.topic, row.payload, row.key.encode()) for row in rows]
            await asyncio.gather(*deliveries)
            await conn.execute(
                update(_table)
                .where(_table.c.id.in_([row.id for row in rows]))
                .values(published_at=func.now(), attempts=_table.c.attempts + 1, last_error=None)
            )
            return len(rows)

    async def _record_failure(self, error: Exception) -> None:
        try:
            async with self._engine.begin() as conn:
                oldest = select(func.min(_table.c.id)).where(_table.c.published_at.is_(None))
                await conn.execute(
                    update(_table)
                    .where(_table.c.id == oldest.scalar_subquery())
                    .values(attempts=_table.c.attempts + 1, last_error=repr(error)[:2000])
                )
        except Exception as db_error:  # the database may be the reason the relay failed
            log.warning("could not record the outbox failure", extra={"error": repr(db_error)})


async def pending_count(conn: AsyncConnection) -> int:
    query = select(func.count()).select_from(_table).where(_table.c.published_at.is_(None))
    return int(await conn.scalar(query) or 0)
