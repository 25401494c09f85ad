"""The service's link to Kafka: connects when it can, never holds up HTTP, says how it is.

A service must keep serving HTTP while Kafka is away (the pagoPA node's receipts, the office's
commands: their events wait in the outbox), so the lifespan does not wait for the broker. The
link connects the outbox producer, then the consumers, retrying with backoff for as long as it
takes; once connected, aiokafka reconnects by itself and the link only watches. An outage is
logged once when it starts, as a reminder every `remind_seconds`, and once when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.protocol.admin import ApiVersionRequest
from faststream.kafka import KafkaBroker

from shared.backoff import backoff

log = logging.getLogger(__name__)


class KafkaLink:
    def __init__(
        self,
        broker: KafkaBroker,
        make_producer: Callable[[], AIOKafkaProducer],
        watch_seconds: float = 5.0,
        remind_seconds: float = 60.0,
        before_consuming: Callable[[], Awaitable[Any]] | None = None,
    ) -> None:
        self._broker = broker
        self._before_consuming = before_consuming  # retried with the broker's start until it succeeds
        self._make_producer = make_producer
        self._watch_seconds = watch_seconds
        self._remind_seconds = remind_seconds
        self.producer: AIOKafkaProducer | None = None
        self.producing = asyncio.Event()  # the outbox producer is connected
        self.consuming = asyncio.Event()  # the consumers are connected
        self.reachable = False
        self._down_since: float | None = None
        self._reminded_at = 0.0

    async def run(self) -> None:
        self.producer = await self._retry("producer", self._start_producer)
        self.producing.set()
        await self._retry("consumers", self._start_broker)
        self.consuming.set()
        self._up()
        while True:
            await asyncio.sleep(self._watch_seconds)
            if await self.ping(timeout=2.0):
                self._up()
            else:
                self._down("consumers and producer reconnect by themselves")

    async def ping(self, timeout: float = 2.0) -> bool:
        """Whether a broker answers now: one ApiVersions request, the smallest there is, on the
        producer's connections (to each known broker in turn until one answers). FastStream's own
        ping asks for the metadata of every topic in the cluster and decodes all of it, which on
        a broker with many topics costs an idle service more than everything else it does."""
        client = self.producer.client if self.producer is not None else None
        if client is None:
            return False
        try:
            async with asyncio.timeout(timeout):
                for broker in client.cluster.brokers():
                    with contextlib.suppress(Exception):
                        await client.send(broker.nodeId, ApiVersionRequest())
                        return True
        except TimeoutError:
            pass
        return False

    async def stop_consuming(self) -> None:
        """The consumers first: a batch under way finishes (or is abandoned uncommitted)."""
        if self.consuming.is_set():
            await self._broker.stop()

    async def stop_producing(self) -> None:
        if self.producer is not None:
            await self.producer.stop()

    async def _retry(self, what: str, start: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            try:
                return await start()
            except Exception as error:  # unreachable, or not ready yet: try again
                attempt += 1
                self._down(f"{what} not connected yet ({type(error).__name__})")
                await asyncio.sleep(backoff(attempt, base=0.5, cap=10.0))

    async def _start_producer(self) -> AIOKafkaProducer:
        producer = self._make_producer()
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        return producer

    async def _start_broker(self) -> None:
        if self._before_consuming is not None:
            await self._before_consuming()
        try:
            await self._broker.start()
        except BaseException:
            await self._broker.stop()  # a partly started broker starts cleanly next time
            raise

    def _down(self, detail: str) -> None:
        now = time.monotonic()
        self.reachable = False
        if self._down_since is None:
            self._down_since = self._reminded_at = now
            log.warning("kafka unreachable: HTTP keeps answering, events wait in the outbox", extra={"detail": detail})
        elif now - self._reminded_at >= self._remind_seconds:
            self._reminded_at = now
            log.warning("kafka still unreachable", extra={"seconds": round(now - self._down_since), "detail": detail})

    def _up(self) -> None:
        self.reachable = True
        if self._down_since is not None:
            log.info("kafka reachable again", extra={"seconds": round(time.monotonic() - self._down_since)})
            self._down_since = None
