"""Waking a loop when the database says there is work, instead of polling it many times a second.

A writer sends `NOTIFY <channel>` in its transaction (PostgreSQL delivers it at commit); the
loop waits on a `Listener` of that channel, with a timeout that is only its fallback poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

import asyncpg

log = logging.getLogger(__name__)


class Wakeup(Protocol):
    def clear(self) -> None: ...

    async def wait(self, timeout: float) -> None:
        """Returns when woken since the last `clear`, or after `timeout` seconds."""


class Timer:
    """No notifications: wake after the timeout only (tests that drive the relay by hand)."""

    def clear(self) -> None:
        pass

    async def wait(self, timeout: float) -> None:
        await asyncio.sleep(timeout)


class Listener:
    """`LISTEN <channel>` (`outbox` by default) on a connection of its own. If it cannot listen
    (the database is away), `wait` just sleeps its timeout and tries to listen again next time:
    polling is the fallback."""

    CHANNEL = "outbox"

    def __init__(self, dsn: str, channel: str = CHANNEL) -> None:
        self._dsn = dsn
        self._channel = channel
        self._connection: asyncpg.Connection | None = None
        self._woken = asyncio.Event()

    def clear(self) -> None:
        self._woken.clear()

    async def wait(self, timeout: float) -> None:
        if not await self._listening():
            await asyncio.sleep(timeout)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._woken.wait(), timeout)

    async def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None

    async def _listening(self) -> bool:
        if self._connection is not None and not self._connection.is_closed():
            return True
        try:
            self._connection = await asyncpg.connect(self._dsn, timeout=5)
            await self._connection.add_listener(self._channel, self._notified)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
            log.warning("cannot listen, polling instead", extra={"channel": self._channel, "error": repr(error)})
            await self.close()
            return False
        self._woken.set()  # rows may have been written while nobody listened
        return True

    def _notified(self, *_: object) -> None:
        self._woken.set()


async def idle(wakeup: Wakeup, stopping: asyncio.Event, seconds: float) -> None:
    """Until `wakeup` fires, `stopping` is set, or `seconds` passed."""
    woken = asyncio.create_task(wakeup.wait(seconds))
    stops = asyncio.create_task(stopping.wait())
    await asyncio.wait({woken, stops}, return_when=asyncio.FIRST_COMPLETED)
    for task in (woken, stops):
        task.cancel()
    await asyncio.gather(woken, stops, return_exceptions=True)
