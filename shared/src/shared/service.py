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
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage as MessageContext
from faststream.specification import AsyncAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import SqlUnitOfWork, make_engine, plain_dsn
from shared.errors import RefettorioError
from shared.events import Envelope, Event
from shared.http import install_error_handlers
from shared.logs import configure_logging
from shared.messaging.consumer import SAFE_SUBSCRIBER, BatchConsumer, Rule, exactly_once
from shared.messaging.kafka import make_producer, server_list
from shared.messaging.outbox import Listener, OutboxRelay
from shared.migrations import upgrade_to_head
from shared.settings import ServiceSettings

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
    producer: AIOKafkaProducer | None = None

    def unit_of_work(self) -> Any:
        """A new (not yet entered) unit of work of the service's own class."""
        return self.unit_of_work_class(self.engine, producer=self.name, topic_prefix=self.settings.topic_prefix)

    def subscribe(self, rule: Rule[Any, Any]) -> None:
        """Registers a rule as a batch consumer with the safe settings (see `consumer`)."""
        group = f"{self.name}.{rule.name}"
        consumer = BatchConsumer(
            rule.event, exactly_once(rule, group, self.unit_of_work), dead_letters=_LateProducer(self)
        )
        subscriber = self.broker.subscriber(
            self.settings.topic(rule.event.topic.value),
            group_id=self.settings.topic(group),  # a prefix isolates groups too
            max_records=self.settings.consumer_batch_size,
            title=group,
            **SAFE_SUBSCRIBER,
        )

        async def on_batch(msg: MessageContext) -> None:
            await consumer(msg)

        on_batch.__name__ = on_batch.__qualname__ = rule.apply.__name__
        subscriber(on_batch)

    def document_publication(self, event_type: type[Event]) -> None:
        """Declares a published topic in the AsyncAPI document (events leave by the outbox)."""
        self.broker.publisher(
            self.settings.topic(event_type.topic.value),
            title=f"{self.name} publishes {event_type.topic.value}",
            schema=Envelope[event_type],  # type: ignore[valid-type]
        )


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
        assert self._infra.producer is not None
        return await self._infra.producer.send_and_wait(topic, value, key=key, headers=headers)


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
        engine=make_engine(settings.database_url),
        broker=KafkaBroker(
            server_list(settings.kafka_bootstrap_servers),
            client_id=name,
            graceful_timeout=20.0,
            logger=logging.getLogger(f"{name}.broker"),
        ),
        unit_of_work_class=parts.unit_of_work_class,
    )
    for rule in parts.rules:
        infra.subscribe(rule)
    for event in parts.publishes:
        infra.document_publication(event)
    app = FastAPI(title=f"Refettorio {name}", lifespan=_lifespan(infra, parts))
    app.state.infra = infra
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
        await upgrade_to_head(parts.migrations_dir, settings.database_url)
        infra.producer = make_producer(settings.kafka_bootstrap_servers, client_id=f"{infra.name}-outbox")
        await infra.producer.start()
        listener = Listener(plain_dsn(settings.database_url))
        relay = OutboxRelay(
            infra.engine,
            infra.producer,
            lock_name=infra.name,
            batch_size=settings.outbox_batch_size,
            idle_seconds=settings.outbox_idle_seconds,
            wakeup=listener,
        )
        relaying = asyncio.create_task(relay.run(), name=f"{infra.name}-outbox-relay")
        try:
            await infra.broker.start()
            async with contextlib.AsyncExitStack() as stack:
                for start in parts.background:
                    await stack.enter_async_context(start(infra))
                log.info("service started", extra={"port": settings.http_port})
                yield
        finally:
            await infra.broker.stop()
            relay.stop()  # the batch under way is finished and marked, then the relay returns
            try:
                await asyncio.wait_for(relaying, timeout=settings.outbox_drain_seconds)
            except TimeoutError:
                log.warning("outbox relay did not drain in time; its batch will be published again")
            await listener.close()
            await infra.producer.stop()
            await infra.engine.dispose()
            log.info("service stopped")

    return lifespan


def run(make_app: Callable[[S], FastAPI], settings: S) -> None:
    """The body of every service's `__main__`: one process serving HTTP, consuming Kafka and
    relaying the outbox."""
    uvicorn.run(make_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


def _add_operational_routes(app: FastAPI, infra: Infrastructure) -> None:
    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", tags=["operations"])
    async def ready() -> JSONResponse:
        checks = {"database": await _database_ready(infra.engine), "kafka": await infra.broker.ping(timeout=2.0)}
        status = 200 if all(checks.values()) else 503
        return JSONResponse({"ready": status == 200, "checks": checks}, status_code=status)

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
