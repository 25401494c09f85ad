"""Database plumbing: engines, the naming convention, and the unit of work every service uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Self

from sqlalchemy import MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

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


def make_engine(database_url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=10,
        pool_pre_ping=True,
        connect_args={"server_settings": DURABLE},
    )


class SqlUnitOfWork:
    """One database transaction: state changes, inbox claims and outbox rows commit together.

    Rolls back unless `commit()` was called: leaving the block by an exception, or forgetting to
    commit, writes nothing. A service subclasses it to offer its repositories, built on the
    transaction's connection in `_bind` (see `shared.unit_of_work`).
    """

    def __init__(self, engine: AsyncEngine, producer: str, topic_prefix: str = "") -> None:
        self._engine = engine
        self._producer = producer
        self._topic_prefix = topic_prefix
        self._connection: AsyncConnection | None = None
        self._after_commit: list[Callable[[], None]] = []

    async def __aenter__(self) -> Self:
        self._after_commit = []
        self._connection = await self._engine.connect()
        await self._connection.begin()
        self._bind(self._connection)
        return self

    def _bind(self, connection: AsyncConnection) -> None:
        """Builds the subclass's repositories on the transaction's connection."""

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._connection is not None
        try:
            if self._connection.in_transaction():
                await self._connection.rollback()
        finally:
            await self._connection.close()
            self._connection = None

    @property
    def connection(self) -> AsyncConnection:
        assert self._connection is not None, "use the unit of work inside `async with`"
        return self._connection

    async def commit(self) -> None:
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
