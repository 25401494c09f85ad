"""OpenTelemetry: one trace follows a fact from the HTTP request that caused it, through the
outbox and Kafka, to the consumer that applied it.

- HTTP: a server span per request (W3C `traceparent` read from the request); calls to other
  services carry it on.
- Outbox: `outbox.add` stores the current context with the row; the relay sends it as Kafka
  headers; a consumer's batch span continues the first record's trace and links the others.
- Export: over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; otherwise spans are not
  recorded at all (the API's no-op provider). Tests install their own provider.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)
tracer = trace.get_tracer("refettorio")


def configure_tracing(service: str, otlp_endpoint: str) -> None:
    """Calls to other services carry the trace on; this process's spans are exported over OTLP
    when an endpoint is configured (once per process)."""
    HTTPXClientInstrumentor().instrument()  # idempotent
    if not otlp_endpoint or isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{otlp_endpoint}/v1/traces")))
    trace.set_tracer_provider(provider)
    log.info("traces exported over OTLP")


_CONTEXT_HEADERS = {b"traceparent", b"tracestate", b"baggage"}


class TraceRequests:
    """OpenTelemetry's ASGI middleware (a server span per request), passed by where it could do
    nothing: when no provider records spans (no OTLP endpoint, no test's provider) and the request
    carries no trace context, its span would be a non-recording one with an invalid context,
    nothing to export and nothing to carry on; building it cost more than many a route. A request
    that carries a context still goes through it, so the context reaches the calls and the outbox
    rows it causes."""

    def __init__(self, app: ASGIApp, /, **options: Any) -> None:
        self.app = app
        self.traced = OpenTelemetryMiddleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and untraced(scope):
            await self.app(scope, receive, send)
        else:
            await self.traced(scope, receive, send)


def untraced(scope: Scope) -> bool:
    """True when a server span for this request would record nothing and carry nothing on."""
    return not _recording() and not _carries_context(scope)


def _recording() -> bool:
    provider = trace.get_tracer_provider()
    return not isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider)


def _carries_context(scope: Scope) -> bool:
    return any(name in _CONTEXT_HEADERS for name, _ in scope.get("headers", ()))


def current_context_headers() -> dict[str, str]:
    """The current trace context as W3C headers (empty when nothing is being traced)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def context_of(headers: Sequence[tuple[str, bytes]] | Mapping[str, str] | None) -> Context:
    """The trace context Kafka headers (or a stored carrier) carry."""
    if not headers:
        return Context()
    items = headers.items() if isinstance(headers, Mapping) else headers
    carrier = {k: v.decode(errors="replace") if isinstance(v, bytes) else v for k, v in items}
    return propagate.extract(carrier)


def current_trace_id() -> str | None:
    span = trace.get_current_span().get_span_context()
    return f"{span.trace_id:032x}" if span.is_valid else None
