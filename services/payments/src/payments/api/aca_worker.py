"""The ACA sender, a background task of the service: rounds of `register_in_aca`, one after the
other while there is work, then a wait until a queued change wakes it (`NOTIFY aca_change`) or
its idle time passed (changes waiting for a retry are due by then). As thin as a route: the
round is the handler's; a round that fails as a whole (the database away) is tried again with
backoff, its changes still pending."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import Counter as Metric

from shared.backoff import backoff
from shared.messaging.outbox import Wakeup

log = logging.getLogger(__name__)
OUTCOMES = Metric("refettorio_aca_changes_total", "Notice changes sent to ACA, by what became of them", ["outcome"])


class AcaSender:
    def __init__(
        self, send_round: Callable[[], Awaitable[Counter[str]]], wakeup: Wakeup, idle_seconds: float, batch_size: int
    ) -> None:
        self._round, self._wakeup = send_round, wakeup
        self._idle_seconds, self._batch_size = idle_seconds, batch_size
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """`run` returns once the round under way is recorded."""
        self._stopping.set()

    async def run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._wakeup.clear()  # a change queued from now on wakes the wait below
            try:
                outcomes = await self._round()
                failures = 0
            except Exception as error:
                failures += 1
                # The type only: a database error's text may quote the queued bodies (the holder's data).
                log.warning("ACA sender failed, will retry", extra={"error": type(error).__name__, "tries": failures})
                await self._wait(backoff(failures, base=0.5, cap=30.0), wakeup=False)
                continue
            for outcome, count in outcomes.items():
                OUTCOMES.labels(outcome).inc(count)
            if outcomes.total() < self._batch_size:
                await self._wait(self._idle_seconds, wakeup=True)

    async def _wait(self, seconds: float, wakeup: bool) -> None:
        waiting = self._wakeup.wait(seconds) if wakeup else asyncio.sleep(seconds)
        waits: set[asyncio.Task[Any]] = {asyncio.create_task(self._stopping.wait()), asyncio.create_task(waiting)}
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in waits:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*waits, return_exceptions=True)
