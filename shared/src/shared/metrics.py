"""Prometheus metrics every service exposes at `GET /metrics` (not routed by the public edge).

The metrics live in the process's default registry, one process per service; services add their
own next to their adapters (ledger movements, deliveries, pagoPA outcomes). Gauges that describe
state (outbox backlog, consumer lag) are read when scraped, not maintained on the hot path.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

HTTP_REQUESTS = Counter("refettorio_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
HTTP_SECONDS = Histogram(
    "refettorio_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
BATCH_RECORDS = Histogram(
    "refettorio_consumer_batch_records",
    "Records in a consumed batch",
    ["group"],
    buckets=(1, 5, 10, 50, 100, 250, 500, 1000, 2500),
)
BATCH_SECONDS = Histogram(
    "refettorio_consumer_batch_duration_seconds",
    "Time to apply a consumed batch, retries included",
    ["group"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
DEAD_LETTERS = Counter("refettorio_dead_letters_total", "Records sent to a dead-letter topic", ["topic"])
CONSUMER_LAG = Gauge(
    "refettorio_consumer_lag_records", "Records on the partition not yet committed", ["group", "topic", "partition"]
)
OUTBOX_PENDING = Gauge("refettorio_outbox_pending_rows", "Outbox rows not yet published")
OUTBOX_OLDEST = Gauge("refettorio_outbox_oldest_pending_seconds", "Age of the oldest unpublished outbox row")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Scope]]
Send = Callable[[Scope], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class HttpMetrics:
    """ASGI middleware: counts and times every request by its route template (never the raw
    path, which would carry ids and make one series per family)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def sending(message: Scope) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                _name_the_span(scope)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            count_request(scope["method"], route, status, time.perf_counter() - started)


def count_request(method: str, route: str, status: int, seconds: float) -> None:
    """One answered request, by its route template (also for a fast lane that answers before
    the app's routing: `accounts.api.fast_reads`)."""
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_SECONDS.labels(method, route).observe(seconds)


def _name_the_span(scope: Scope) -> None:
    """The trace's server span (this middleware runs inside it) by route template, once routing
    is done: the raw path would carry ids and give every family a span name of its own."""
    route = getattr(scope.get("route"), "path", None)
    span = trace.get_current_span()
    if route and span.is_recording():
        span.update_name(f"{scope['method']} {route}")
        span.set_attribute("http.route", route)


_OUTBOX_BACKLOG = text(
    "SELECT count(*), count(*) FILTER (WHERE created_at < now() - make_interval(secs => :stuck)),"
    " coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM outbox WHERE published_at IS NULL"
)
STUCK_AFTER_SECONDS = 60  # an outbox row older than this is stuck: the relay publishes in milliseconds


@dataclass(frozen=True)
class OutboxBacklog:
    pending: int  # rows not yet published
    stuck: int  # of which older than STUCK_AFTER_SECONDS
    oldest_seconds: float


async def outbox_backlog(conn: AsyncConnection, stuck_after: float = STUCK_AFTER_SECONDS) -> OutboxBacklog:
    pending, stuck, oldest = (await conn.execute(_OUTBOX_BACKLOG, {"stuck": stuck_after})).one()
    return OutboxBacklog(pending, stuck, float(oldest))


async def refresh_outbox(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        backlog = await outbox_backlog(conn)
    OUTBOX_PENDING.set(backlog.pending)
    OUTBOX_OLDEST.set(backlog.oldest_seconds)


async def refresh_lag(group: str, consumer: Any) -> None:
    """Lag of an aiokafka consumer's assigned partitions: the highwater it last fetched minus
    what the group committed."""
    for partition in consumer.assignment():
        highwater = consumer.highwater(partition)
        if highwater is None:
            continue
        committed = await consumer.committed(partition) or 0
        CONSUMER_LAG.labels(group, partition.topic, str(partition.partition)).set(max(highwater - committed, 0))


def exposition() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST
