"""The unit of work as handlers see it: one transaction, its inbox claims and its outbox.

Handlers type against this Protocol (each service's `handlers/ports.py` extends it with the
repositories it offers); `shared.db.SqlUnitOfWork` is the PostgreSQL implementation and the test
kit has an in-memory one. Whoever enters the unit of work owns the transaction and commits it:
the handler for a command, the consumer wrapper for a rule (`shared.service.Infrastructure.subscribe`),
never a route and never an adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Protocol, Self

from shared.events import Envelope, Event


class UnitOfWork(Protocol):
    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Rolls back whatever was not committed."""

    async def commit(self) -> None: ...

    def reading(self) -> AbstractAsyncContextManager[Self]:
        """The unit of work for a read: no transaction to begin or roll back, nothing to commit."""
        ...

    async def claim(self, consumer: str, event_ids: Sequence[object]) -> set[object]:
        """The subset of `event_ids` this consumer had never processed, now marked processed."""

    async def publish(self, *events: Event | Envelope[Event]) -> None:
        """Queues events in the outbox; they leave only if this transaction commits."""
