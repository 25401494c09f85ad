"""An in-memory unit of work for handler unit tests (cosmicpython's FakeUnitOfWork).

A service's tests subclass it and add fake repositories as attributes; what the handler
published and claimed becomes visible only when it commits, as with the real one.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import Self

from shared.events import Envelope, Event


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.published: list[Event] = []
        self.commits = 0
        self.processed: defaultdict[str, set[object]] = defaultdict(set)
        self._pending_events: list[Event] = []
        self._pending_claims: list[tuple[str, object]] = []

    async def __aenter__(self) -> Self:
        self._pending_events, self._pending_claims = [], []
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._pending_events, self._pending_claims = [], []  # what was not committed is gone

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[Self]:
        async with self:
            yield self

    async def commit(self) -> None:
        self.published += self._pending_events
        for consumer, event_id in self._pending_claims:
            self.processed[consumer].add(event_id)
        self._pending_events, self._pending_claims = [], []
        self.commits += 1

    async def claim(self, consumer: str, event_ids: Sequence[object]) -> set[object]:
        fresh = {i for i in event_ids if i not in self.processed[consumer]}
        self._pending_claims += [(consumer, i) for i in fresh]
        return fresh

    async def publish(self, *events: Event | Envelope[Event]) -> None:
        self._pending_events += [e.data if isinstance(e, Envelope) else e for e in events]
