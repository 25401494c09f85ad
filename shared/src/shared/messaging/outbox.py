"""The transactional outbox and its relay.

Invariants:
- an event leaves the service only if the transaction that implied it committed (the row is
  written through the caller's connection);
- a row is marked published only after Kafka acknowledged it (`acks=all`, idempotent producer);
  an undelivered row is never deleted: it is retried, with its attempts and last error recorded;
- per partition key, events leave in the order they were written: one relay at a time holds the
  service's advisory lock, and it publishes rows in id order;
- a relay wakes when a transaction that wrote rows commits (`NOTIFY outbox`, which `add` sends
  and PostgreSQL delivers at commit), and otherwise only every `idle_seconds`: an idle service
  does not poll its database many times a second.
A crash between Kafka's ack and the mark republishes the rows (so does a crash that loses the
mark's commit, which does not wait for the disk): consumers are idempotent by `event_id`, so
at-least-once delivery is exactly-once in effect.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from aiokafka.errors import InvalidTopicError, MessageSizeTooLargeError, UnknownTopicOrPartitionError
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.backoff import backoff
from shared.events import Envelope, Event
from shared.messaging.wakeup import Listener, Timer, Wakeup, idle
from shared.tracing import current_context_headers

__all__ = ["Listener", "OutboxRelay", "Timer", "Wakeup", "add", "define_table"]

log = logging.getLogger(__name__)
TABLE = "outbox"


def define_table(metadata: MetaData) -> Table:
    """The one definition of the outbox: the services' metadata and their first migration use it
    (constraint names are explicit, so both give the same schema under any naming convention)."""
    return Table(
        TABLE,
        metadata,
        Column("id", BigInteger, autoincrement=True),
        Column("event_id", Uuid, nullable=False),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        # The trace the event belongs to (W3C headers as JSON), sent along as Kafka headers. Added
        # after the first migrations (see `shared.migrations.add_outbox_trace_context`).
        Column("trace_context", Text),
        PrimaryKeyConstraint("id", name="outbox_pkey"),
        UniqueConstraint("event_id", name="uq_outbox_event_id"),
        Index("ix_outbox_pending", "id", postgresql_where=text("published_at IS NULL")),
    )


_table = define_table(MetaData())


async def add(conn: AsyncConnection, envelopes: Sequence[Envelope[Event]], topic_prefix: str = "") -> None:
    """Queues envelopes in the caller's transaction; each row names its full topic. One
    statement whatever the number of rows (column arrays), which also sends the relay's NOTIFY
    (delivered at commit)."""
    if not envelopes:
        return
    trace = current_context_headers()  # the trace of the transaction, the same for each of its rows
    await conn.execute(
        _QUEUE,
        {
            "event_ids": [e.event_id for e in envelopes],
            "topics": [topic_prefix + e.data.topic.value for e in envelopes],
            "keys": [e.data.partition_key() for e in envelopes],
            "payloads": [e.to_json() for e in envelopes],
            "trace_context": json.dumps(trace) if trace else None,
        },
    )


_QUEUE = text(
    """
    WITH queued AS (
        INSERT INTO outbox (event_id, topic, key, payload, trace_context)
        SELECT event_id, topic, key, payload, CAST(:trace_context AS text) FROM unnest(
            CAST(:event_ids AS uuid[]), CAST(:topics AS varchar[]), CAST(:keys AS varchar[]),
            CAST(:payloads AS bytea[])
        ) AS row (event_id, topic, key, payload)
        RETURNING 1
    )
    SELECT pg_notify('outbox', '') WHERE EXISTS (SELECT FROM queued)
    """
)


_PURGE_CHUNK = 10_000
_PURGE = text(
    """
    DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox WHERE published_at < :before ORDER BY id LIMIT :chunk
    )
    """
)


def _kafka_headers(trace_context: str | None) -> list[tuple[str, bytes]] | None:
    return [(k, str(v).encode()) for k, v in json.loads(trace_context).items()] if trace_context else None


class Producer(Protocol):
    async def send(
        self, topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]] | None = None
    ) -> Any: ...

    async def partitions_for(self, topic: str) -> Any: ...


# Errors that belong to one row, not to the broker: retrying that row cannot help for long.
ROW_ERRORS: tuple[type[Exception], ...] = (
    UnknownTopicOrPartitionError,
    MessageSizeTooLargeError,
    InvalidTopicError,
)


# The relay's statements, each one cached statement whatever the batch (ids as one array).
# The relay's own transaction does not wait for its commit to reach the disk: losing it in a
# crash loses only marks, and an unmarked row is published again, which every consumer's inbox
# absorbs (the same as a crash between Kafka's ack and the mark). One fsync fewer per batch for
# the commits that must wait for it (a ledger's, a receipt's).
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:lock), set_config('synchronous_commit', 'off', true)")
_PENDING = text(
    "SELECT id, topic, key, payload, trace_context FROM outbox"
    " WHERE published_at IS NULL AND attempts < :attempts ORDER BY id LIMIT :limit"
)
_MARK_PUBLISHED = text(
    "UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL"
    " WHERE id = ANY(CAST(:ids AS bigint[]))"
)


class OutboxRelay:
    """Publishes pending rows to Kafka; several replicas may run, one publishes at a time.

    A row that fails on its own (unknown topic, too large) gets its attempt and error recorded;
    after `max_row_attempts` it is set aside: still in the table, never deleted, no longer
    published, so one poison row cannot hold back every later event (an operator resets
    `attempts` to send it again). A broker that is down fails the whole batch: nothing is
    marked, nothing set aside, and the batch is retried with backoff.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        producer: Producer,
        lock_name: str,
        batch_size: int = 1000,
        idle_seconds: float = 1.0,
        max_row_attempts: int = 3,
        wakeup: Wakeup | None = None,
        retention: timedelta = timedelta(days=3),
    ) -> None:
        self._engine = engine
        self._producer = producer
        self._lock_id = zlib.crc32(f"outbox:{lock_name}".encode())
        self._batch_size = batch_size
        self._idle_seconds = idle_seconds
        self._max_row_attempts = max_row_attempts
        self._wakeup = wakeup or Timer()
        self._retention = retention
        self._purged_at = 0.0
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Publishes until `stop()`: a batch under way is finished and marked, never cut off
        between Kafka's ack and the mark (which would publish it again from another replica)."""
        failures = 0
        while not self._stopping.is_set():
            self._wakeup.clear()  # a commit from now on wakes the wait below
            try:
                published = await self.publish_pending()
                failures = 0
            except Exception as error:  # the rows stay and are retried
                failures += 1
                log.warning("outbox relay failed, will retry", extra={"error": repr(error)})
                await self._pause(backoff(failures, base=0.1))
                continue
            if published < self._batch_size:
                await self._purge_now_and_then()
                await self._idle()

    def stop(self) -> None:
        self._stopping.set()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _idle(self) -> None:
        """Until a commit wakes the relay, `stop()` is called, or `idle_seconds` passed."""
        await idle(self._wakeup, self._stopping, self._idle_seconds)

    async def _purge_now_and_then(self) -> None:
        """Hourly: published rows older than the retention go (with them any secret a payload
        carried). A row never published is never deleted."""
        if time.monotonic() - self._purged_at < 3600:
            return
        self._purged_at = time.monotonic()
        try:
            await self.purge_published(self._retention)
        except Exception as error:  # the next hour tries again; publishing goes on meanwhile
            log.warning("outbox purge failed", extra={"error": repr(error)})

    async def purge_published(self, older_than: timedelta) -> int:
        purged = 0
        while True:
            async with self._engine.begin() as conn:
                done = (
                    await conn.execute(_PURGE, {"before": datetime.now(UTC) - older_than, "chunk": _PURGE_CHUNK})
                ).rowcount
            purged += done
            if done < _PURGE_CHUNK:
                return purged

    async def publish_pending(self) -> int:
        """Publishes one batch of pending rows; marks those Kafka acknowledged, records row errors."""
        async with self._engine.begin() as conn:
            if not await conn.scalar(_TRY_LOCK, {"lock": self._lock_id}):
                return 0
            rows = (await conn.execute(_PENDING, {"attempts": self._max_row_attempts, "limit": self._batch_size})).all()
            if not rows:
                return 0
            acked, failed = await self._send(rows)
            if acked:
                await conn.execute(_MARK_PUBLISHED, {"ids": acked})
            for row_id, error in failed.items():
                log.error("outbox row not deliverable", extra={"row": row_id, "error": repr(error)})
                await conn.execute(
                    update(_table)
                    .where(_table.c.id == row_id)
                    .values(attempts=_table.c.attempts + 1, last_error=repr(error)[:2000])
                )
            return len(rows)

    async def _send(self, rows: Sequence[Any]) -> tuple[list[int], dict[int, Exception]]:
        """Sends every row; raises on a broker-wide error, returns the row-level ones."""
        failed: dict[int, Exception] = {}
        missing: dict[str, Exception] = {}
        for topic in {row.topic for row in rows}:  # one metadata wait per topic, not per row
            try:
                await self._producer.partitions_for(topic)
            except ROW_ERRORS as error:
                missing[topic] = error
        sent: list[tuple[int, Any]] = []
        for row in rows:
            if row.topic in missing:
                failed[row.id] = missing[row.topic]
                continue
            try:
                headers = _kafka_headers(row.trace_context)
                sent.append((row.id, await self._producer.send(row.topic, row.payload, row.key.encode(), headers)))
            except ROW_ERRORS as error:
                failed[row.id] = error
        results = await asyncio.gather(*(delivery for _, delivery in sent), return_exceptions=True)
        acked = []
        for (row_id, _), result in zip(sent, results, strict=True):
            if isinstance(result, ROW_ERRORS):
                failed[row_id] = result
            elif isinstance(result, BaseException):
                raise result
            else:
                acked.append(row_id)
        return acked, failed
