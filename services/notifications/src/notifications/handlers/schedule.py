"""The daily schedule of reminders, a background task of the service.

It wakes every `interval` and, once the local hour reached `hour`, runs the job: the job is
idempotent per reminder period, so later wake-ups the same day (or on other replicas) find the
reminders already logged, and a day missed while the service was down is caught up at the next
wake-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from notifications.handlers.ports import Clock

log = logging.getLogger(__name__)


def due(now: datetime, hour: int, zone: ZoneInfo) -> bool:
    return now.astimezone(zone).hour >= hour


async def run_daily(
    job: Callable[[datetime], Awaitable[int]], clock: Clock, hour: int, zone: ZoneInfo, interval: float
) -> None:
    while True:
        now = clock()
        if due(now, hour, zone):
            try:
                queued = await job(now)
                if queued:
                    log.info("reminders queued", extra={"count": queued})
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the next wake-up tries again
                log.warning("reminder run failed", extra={"error": repr(error)})
        await asyncio.sleep(interval)
