"""Database plumbing: engines, the naming convention, and the unit of work every service uses."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from types import TracebackType
from typing import Any, Self

from sqlalchemy import MetaData, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.util import await_

from shared.events import Envelope, Event
from shared.messaging import inbox, outbox

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """A service's metadata, with the outbox and inbox tables already on it."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    outbox.define_table(metadata)
    inbox.define_table(metadata)
    return metadata


# Set on every connection a service opens, whatever the server's or the database's default: a
# commit returns only once its WAL is on disk. Consumers commit their Kafka offsets after the
# database commit, and that order protects nothing if the commit can still vanish in a crash.
DURABLE = {"synchronous_commit": "on"}


def plain_dsn(database_url: str, database: str | None = None) -> str:
    """`postgresql+asyncpg://...` (SQLAlchemy) as `postgresql://...` (asyncpg itself, psql)."""
    url = make_url(database_url).set(drivername="postgresql")
    if database is not None:
        url = url.set(database=database)
    return url.render_as_string(hide_password=False)


def make_engine(database_url: str, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    engine = create_async_engine(
        database_url, pool_size=pool_size, max_overflow=max_overflow, connect_args={"server_settings": DURABLE}
    )
    event.listen(engine.sync_engine, "checkout", _ping)
    event.listen(engine.sync_engine, "checkin", _returned)
    return engine


# A connection back in the pool for less than this is handed out again without a ping (below).
PING_AFTER_SECONDS = 1.0


def _ping(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """A connection the server dropped while it sat in the pool (a restart, say) is replaced
    before anyone gets it. SQLAlchemy's own `pool_pre_ping` does the same in three round trips
    with asyncpg (BEGIN, the ping, ROLLBACK: for pgbouncer's transaction mode, which we do not
    use); this is one, and none for a connection returned within `PING_AFTER_SECONDS`, unless
    asyncpg saw it closed: a server that ends a connection (a restart, a crash, a terminated
    backend) closes its socket, and asyncpg notices as the close arrives. Under load a connection
    goes round in milliseconds, and its ping cost as much as the request's own query."""
    driver = record.driver_connection
    if driver.is_closed():
        raise exc.DisconnectionError()
    if time.monotonic() - record.info.get("returned", 0.0) < PING_AFTER_SECONDS:
        return
    try:
        await_(driver.fetchrow(";"))
    except Exception as error:
        raise exc.DisconnectionError() from error  # the pool replaces the connection and retries


def _returned(dbapi_connection: Any, record: Any) -> None:
    record.info["returned"] = time.monotonic()


class ConnectionLease:
    """One pooled connection for the units of work of one request, one after another (the
    session's lookup, then the route's): checked out at the first, returned at `release`. A unit
    entered while another holds the connection (nested, or concurrent) gets one of its own."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._autocommit = False
        self._busy = False

    @contextlib.asynccontextmanager
    async def connection(self, autocommit: bool) -> AsyncIterator[AsyncConnection]:
        if self._busy:
            async with ConnectionLease(self._engine).connection(autocommit) as own:
                yield own
            return
        self._busy = True
        try:
            if self._connection is None:
                self._connection = await self._engine.connect()
            if autocommit != self._autocommit:
                default = self._engine.dialect.default_isolation_level
                await self._connection.execution_options(isolation_level="AUTOCOMMIT" if autocommit else default)
                self._autocommit = autocommit
            yield self._connection
        finally:
            self._busy = False

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()  # back to the pool, its isolation level reset


class SqlUnitOfWork:
    """One database transaction: state changes, inbox claims and outbox rows commit together.

    Rolls back unless `commit()` was called: leaving the block by an exception, or forgetting to
    commit, writes nothing. A service subclasses it to offer its repositories, built on the
    transaction's connection in `_bind` (see `shared.unit_of_work`). `reading()` is the same
    without the transaction, for reads. On a request's `lease`, its units of work share one
    connection; without one, each has its own.
    """

    def __init__(
        self, engine: AsyncEngine, producer: str, topic_prefix: str = "", lease: ConnectionLease | None = None
    ) -> None:
        self._engine = engine
        self._producer = producer
        self._topic_prefix = topic_prefix
        self._lease = lease
        self._connection: AsyncConnection | None = None
        self._exit = contextlib.AsyncExitStack()
        self._reading = False
        self._after_commit: list[Callable[[], None]] = []

    async def __aenter__(self) -> Self:
        await self._enter(reading=False)
        return self

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[Self]:
        """A read without BEGIN and ROLLBACK: each statement is its own implicit transaction
        (autocommit), which is right for a read of one statement, or of several that need not see
        one snapshot. Nothing to commit: a write of one statement in it (a session's touch)
        commits as it runs."""
        await self._enter(reading=True)
        try:
            yield self
        finally:
            await self.__aexit__(None, None, None)

    async def _enter(self, reading: bool) -> None:
        self._after_commit, self._reading = [], reading
        lease = self._lease or ConnectionLease(self._engine)
        if self._lease is None:
            self._exit.push_async_callback(lease.release)
        self._connection = await self._exit.enter_async_context(lease.connection(autocommit=reading))
        if not reading:
            await self._connection.begin()
        self._bind(self._connection)

    def _bind(self, connection: AsyncConnection) -> None:
        """Builds the subclass's repositories on the transaction's connection."""

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._connection is not None
        try:
            if self._connection.in_transaction():
                await self._connection.rollback()  # in autocommit, no round trip: nothing began
        finally:
            self._connection = None
            await self._exit.aclose()

    @property
    def connection(self) -> AsyncConnection:
        assert self._connection is not None, "use the unit of work inside `async with`"
        return self._connection

    async def commit(self) -> None:
        if self._reading:
            raise RuntimeError("a reading unit of work has nothing to commit")
        await self.connection.commit()
        done, self._after_commit = self._after_commit, []
        for callback in done:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Runs `callback` once this transaction committed (metrics count what really happened)."""
        self._after_commit.append(callback)

    async def claim(self, consumer: str, event_ids: Sequence[object]) -> set[object]:
        """The subset of `event_ids` this consumer had never processed (see `inbox.claim`)."""
        return await inbox.claim(self.connection, consumer, event_ids)

    async def publish(self, *events: Event | Envelope[Event]) -> None:
        """Queues events in the outbox; they leave only if this transaction commits."""
        envelopes = [e if isinstance(e, Envelope) else Envelope.wrap(e, self._producer) for e in events]
        await outbox.add(self.connection, envelopes, self._topic_prefix)
