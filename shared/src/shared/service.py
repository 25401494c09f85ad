"""What every service process is made of: the HTTP app, the Kafka consumers and the outbox relay.

One process per service: uvicorn serves the FastAPI app, and the app's lifespan applies the
migrations, starts the FastStream broker (consumers) and the outbox relay, and stops them on
SIGTERM: the broker first (an in-flight batch finishes, or is abandoned uncommitted after the
graceful timeout), then the relay, then the connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage as MessageContext
from faststream.specification import AsyncAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from uvicorn.main import STARTUP_FAILURE

from shared.db import ConnectionLease, SqlUnitOfWork, make_engine, plain_dsn
from shared.errors import RefettorioError
from shared.events import Envelope, Event
from shared.http import install_error_handlers
from shared.logs import configure_logging
from shared.messaging.adopt import adopt_offsets
from shared.messaging.consumer import SAFE_SUBSCRIBER, BatchConsumer, Rule, exactly_once
from shared.messaging.dispatch import TopicDispatch
from shared.messaging.kafka import make_producer, server_list
from shared.messaging.link import KafkaLink
from shared.messaging.outbox import Listener, OutboxRelay
from shared.metrics import HttpMetrics, exposition, refresh_lag, refresh_outbox
from shared.migrations import upgrade_to_head
from shared.quiet_server import QuietServer
from shared.settings import ServiceSettings
from shared.text_guard import RefuseUnstorableText
from shared.tracing import TraceRequests, configure_tracing

log = logging.getLogger(__name__)
S = TypeVar("S", bound=ServiceSettings)


@dataclass
class Infrastructure:
    """The running service's connections, built by `make_service_app`, started in its lifespan."""

    name: str
    settings: ServiceSettings
    engine: AsyncEngine
    broker: KafkaBroker
    unit_of_work_class: type[SqlUnitOfWork] = SqlUnitOfWork
    link: KafkaLink | None = None
    subscribers: dict[str, Any] = field(default_factory=dict)  # consumer group -> FastStream subscriber
    old_groups: dict[str, str] = field(default_factory=dict)  # each quiet rule's group of old -> its topic (`adopt`)

    def unit_of_work(self, lease: ConnectionLease | None = None) -> Any:
        """A new (not yet entered) unit of work of the service's own class (on a request's lease:
        see `shared.dependencies.connection_lease`)."""
        prefix = self.settings.topic_prefix
        return self.unit_of_work_class(self.engine, producer=self.name, topic_prefix=prefix, lease=lease)

    def subscribe(self, rules: Sequence[Rule[Any, Any]]) -> None:
        """Registers the busy rules as a batch consumer each (group `<service>.<rule>`) and the
        others as one batch consumer of all their topics (group `<service>`; see `Rule`)."""
        for rule in rules:
            if rule.busy:
                self._subscribe(f"{self.name}.{rule.name}", [rule])
        quiet = [rule for rule in rules if not rule.busy]
        if quiet:
            self._subscribe(self.name, quiet)
            self.old_groups.update({self.settings.topic(f"{self.name}.{r.name}"): self._topic(r) for r in quiet})

    def _subscribe(self, group: str, rules: Sequence[Rule[Any, Any]]) -> None:
        """One consumer of the rules' topics in `group`, with the safe settings (`consumer`)."""
        consumers: dict[str, list[BatchConsumer[Any]]] = {}
        for rule in rules:
            consumers.setdefault(self._topic(rule), []).append(self._batch_consumer(rule))
        subscriber = self.broker.subscriber(
            *consumers,
            group_id=self.settings.topic(group),  # a prefix isolates groups too
            max_records=self.settings.consumer_batch_size,
            fetch_max_wait_ms=self.settings.consumer_wait_ms,
            decoder=_undecoded,
            title=group,
            **SAFE_SUBSCRIBER,
        )
        subscriber.get_msg = _waiting_batches(subscriber, self.settings.consumer_wait_ms)
        dispatch = TopicDispatch(consumers)

        async def on_batch(msg: MessageContext) -> None:
            await dispatch(msg)

        on_batch.__name__ = on_batch.__qualname__ = rules[0].apply.__name__ if len(rules) == 1 else f"{self.name}_rules"
        subscriber(on_batch)
        self.subscribers[group] = subscriber

    def _topic(self, rule: Rule[Any, Any]) -> str:
        return self.settings.topic(rule.event.topic.value)

    def _batch_consumer(self, rule: Rule[Any, Any]) -> BatchConsumer[Any]:
        """A rule's consumer: its inbox key and metrics label is `<service>.<rule name>`."""
        group = f"{self.name}.{rule.name}"
        handle = exactly_once(rule, group, self.unit_of_work)
        return BatchConsumer(rule.event, handle, dead_letters=_LateProducer(self), group=group)

    def document_publication(self, event_type: type[Event]) -> None:
        """Declares a published topic in the AsyncAPI document (events leave by the outbox)."""
        self.broker.publisher(
            self.settings.topic(event_type.topic.value),
            title=f"{self.name} publishes {event_type.topic.value}",
            schema=Envelope[event_type],  # type: ignore[valid-type]
        )


async def _undecoded(_: Any) -> None:
    """The batch consumer parses the raw records itself (`parse_envelope`, with its dead letters
    and upcasters); FastStream's default decoder would JSON-decode every record first, for nothing."""


def _waiting_batches(subscriber: Any, wait_ms: int) -> Callable[[Any], Awaitable[tuple[Any, ...]]]:
    """The batch subscriber's poll, without FastStream's pause after an empty one.

    FastStream's batch poll waits `batch_timeout_ms` for records and, when none came, sleeps as
    long again: the first event after a quiet spell waits up to that sleep (200 ms by default)
    before anyone looks at it, and an idle consumer wakes five times a second. Waiting inside
    aiokafka's `getmany` instead returns the moment records arrive, so the wait can be long
    (`consumer_wait_ms`): no added latency, and an idle consumer wakes once per wait.
    """

    async def get_msg(consumer: Any) -> tuple[Any, ...]:
        batches = await consumer.getmany(timeout_ms=wait_ms, max_records=subscriber.max_records)
        return tuple(record for records in batches.values() for record in records)

    return get_msg


# Work a service runs beside its consumers (a sender loop, a schedule): entered once the broker
# runs, left before it stops, so that the work under way finishes while its connections live.
Background = Callable[[Infrastructure], contextlib.AbstractAsyncContextManager[None]]


class _LateProducer:
    """The dead-letter producer exists only once the lifespan started it."""

    def __init__(self, infra: Infrastructure) -> None:
        self._infra = infra

    async def send_and_wait(
        self, topic: str, value: bytes, *, key: bytes | None, headers: list[tuple[str, bytes]]
    ) -> Any:
        producer = self._infra.link.producer if self._infra.link else None
        assert producer is not None, "consumers run only once the producer is connected"
        return await producer.send_and_wait(topic, value, key=key, headers=headers)


class _LinkedProducer:
    """The outbox relay's producer: the one the Kafka link connected."""

    def __init__(self, link: KafkaLink) -> None:
        self._link = link

    def _producer(self) -> AIOKafkaProducer:
        if self._link.producer is None:
            raise ConnectionError("kafka producer not connected yet")
        return self._link.producer

    async def send(self, topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]] | None = None) -> Any:
        return await self._producer().send(topic, value, key=key, headers=headers)

    async def partitions_for(self, topic: str) -> Any:
        return await self._producer().partitions_for(topic)


@dataclass(frozen=True)
class ServiceParts:
    """What a service brings to `make_service_app` besides its settings."""

    migrations_dir: Path
    routers: Sequence[APIRouter] = ()
    rules: Sequence[Rule[Any, Any]] = ()
    publishes: Sequence[type[Event]] = ()
    unit_of_work_class: type[SqlUnitOfWork] = SqlUnitOfWork
    background: Sequence[Background] = ()
    error_status: dict[type[RefettorioError], int] = field(default_factory=dict)


def make_service_app(name: str, settings: ServiceSettings, parts: ServiceParts) -> FastAPI:
    """The app factory every service calls from its `bootstrap.py`."""
    infra = Infrastructure(
        name=name,
        settings=settings,
        # The same 20 connections at most as 10 kept and 10 more on demand, all of them kept: a
        # connection over the kept ones is closed when returned, and under a steady load above
        # them every request opened one (a server process started, a handshake, its codecs).
        engine=make_engine(settings.database_url, pool_size=20, max_overflow=0),
        broker=KafkaBroker(
            server_list(settings.kafka_bootstrap_servers),
            client_id=name,
            graceful_timeout=20.0,
            logger=logging.getLogger(f"{name}.broker"),
        ),
        unit_of_work_class=parts.unit_of_work_class,
    )
    infra.subscribe(parts.rules)
    for event in parts.publishes:
        infra.document_publication(event)
    documented = not settings.production  # no /docs, /openapi.json or /asyncapi.json in production
    app = FastAPI(
        title=f"Refettorio {name}",
        lifespan=_lifespan(infra, parts),
        docs_url="/docs" if documented else None,
        redoc_url=None,
        openapi_url="/openapi.json" if documented else None,
        # FastAPI's own OpenTelemetry, off: `TraceRequests` makes the server spans and Prometheus
        # counts the requests (`HttpMetrics`); left on, it looked up the global providers (and
        # the environment) on every request to find out it had nothing to do.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.infra = infra
    app.add_middleware(RefuseUnstorableText)  # innermost: metrics and traces count its refusals
    app.add_middleware(HttpMetrics)  # inside the trace's server span
    app.add_middleware(TraceRequests, excluded_urls="/health,/ready,/metrics", exclude_spans=["receive", "send"])
    install_error_handlers(app, parts.error_status)
    for router in parts.routers:
        app.include_router(router)
    _add_operational_routes(app, infra)
    return app


def _lifespan(
    infra: Infrastructure, parts: ServiceParts
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    settings = infra.settings

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(infra.name, settings.log_level)
        configure_tracing(infra.name, settings.otlp_endpoint)
        await upgrade_to_head(parts.migrations_dir, settings.database_url)
        try:
            async with _kafka_and_outbox(infra), contextlib.AsyncExitStack() as background:
                for start in parts.background:
                    await background.enter_async_context(start(infra))
                log.info("service started", extra={"port": settings.http_port})
                yield
        finally:
            await infra.engine.dispose()
            log.info("service stopped")

    return lifespan


@contextlib.asynccontextmanager
async def _kafka_and_outbox(infra: Infrastructure) -> AsyncIterator[None]:
    """The Kafka link and the outbox relay. They stop in order: the consumers (a batch under way
    finishes or is abandoned uncommitted), the relay (its batch finished and marked), the producer."""
    settings = infra.settings
    link = infra.link = KafkaLink(
        infra.broker,
        lambda: make_producer(
            settings.kafka_bootstrap_servers, client_id=f"{infra.name}-outbox", linger_ms=settings.outbox_linger_ms
        ),
        before_consuming=partial(_adopt, infra),
    )
    linking = asyncio.create_task(link.run(), name=f"{infra.name}-kafka-link")
    listener = Listener(plain_dsn(settings.database_url))
    relay = OutboxRelay(
        infra.engine,
        _LinkedProducer(link),
        lock_name=infra.name,
        batch_size=settings.outbox_batch_size,
        idle_seconds=settings.outbox_idle_seconds,
        wakeup=listener,
        retention=timedelta(hours=settings.outbox_retention_hours),
    )
    relaying = asyncio.create_task(_once_producing(link, relay), name=f"{infra.name}-outbox-relay")
    try:
        yield
    finally:
        linking.cancel()
        await asyncio.gather(linking, return_exceptions=True)
        await link.stop_consuming()
        relay.stop()
        try:
            await asyncio.wait_for(relaying, timeout=settings.outbox_drain_seconds)
        except TimeoutError:
            log.warning("outbox relay did not drain in time; its batch will be published again")
        await listener.close()
        await link.stop_producing()


async def _adopt(infra: Infrastructure) -> None:
    """The service's group takes its rules' old groups' offsets, the first time (`adopt`)."""
    if infra.old_groups:
        group = infra.settings.topic(infra.name)
        await adopt_offsets(infra.settings.kafka_bootstrap_servers, group, infra.old_groups)


async def _once_producing(link: KafkaLink, relay: OutboxRelay) -> None:
    await link.producing.wait()
    await relay.run()


def run(make_app: Callable[[S], FastAPI], settings: S) -> None:
    """The body of every service's `__main__`: one process serving HTTP, consuming Kafka and
    relaying the outbox."""
    config = uvicorn.Config(make_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)
    server = QuietServer(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)  # as `uvicorn.run` does


def _add_operational_routes(app: FastAPI, infra: Infrastructure) -> None:
    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", tags=["operations"])
    async def ready() -> JSONResponse:
        """Ready once the database answers and the consumers have connected once. A later Kafka
        outage leaves the service ready but `degraded`: HTTP keeps serving (events wait in the
        outbox), so a load balancer must not take it out of rotation for that."""
        started = infra.link is not None and infra.link.consuming.is_set()
        checks = {
            "database": await _database_ready(infra.engine),
            "kafka": started and infra.link is not None and await infra.link.ping(timeout=2.0),
        }
        ready = checks["database"] and started
        body = {"ready": ready, "degraded": not checks["kafka"], "checks": checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        """Prometheus; for the monitoring network only (the public edge does not route it)."""
        await refresh_outbox(infra.engine)
        for group, subscriber in infra.subscribers.items():
            if getattr(subscriber, "consumer", None) is not None:
                await refresh_lag(group, subscriber.consumer)
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    if infra.settings.production:
        return

    @app.get("/asyncapi.json", tags=["operations"])
    async def asyncapi() -> JSONResponse:
        spec = AsyncAPI(infra.broker, title=f"Refettorio {infra.name}", schema_version="3.0.0")
        return JSONResponse(spec.to_specification().to_jsonable())


async def _database_ready(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=2.0)
        return True
    except Exception:
        return False
