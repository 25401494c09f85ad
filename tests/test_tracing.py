"""One meal, one trace: from the office's close of the day in attendance, through the outbox and
`meal-consumed`, to the debit in accounts (both services in-process, real Kafka and PostgreSQL,
the OpenTelemetry SDK's in-memory exporter)."""

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from accounts.bootstrap import make_app as make_accounts
from accounts.config import AccountsSettings
from attendance.bootstrap import make_app as make_attendance
from attendance.config import AttendanceSettings
from testkit.apps import running
from testkit.data import tax_code
from testkit.infra import Infra
from testkit.kafka import eventually, topics

OFFICE, SERVICE = "tracing-office-token", "tracing-service-token"
EVERY_DAY = {"service_weekdays": [1, 2, 3, 4, 5, 6, 7], "cutoff": "09:30:00", "timezone": "Europe/Rome"}


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)  # once per process: nothing else in the test run sets one
    return exporter


@pytest.fixture
async def both(infra: Infra, kafka: str) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    async with topics(kafka, f"o{uuid.uuid4().hex[:8]}.") as prefix:
        common = {"kafka_bootstrap_servers": kafka, "topic_prefix": prefix, "service_token": SERVICE}
        accounts = make_accounts(
            AccountsSettings(database_url=infra.database_urls["accounts"], office_token=OFFICE, **common)
        )
        attendance = make_attendance(AttendanceSettings(database_url=infra.database_urls["attendance"], **common))
        async with running(accounts, token=OFFICE) as office, running(attendance, token=SERVICE) as school:
            yield office, school


async def test_a_meal_is_one_trace_from_the_close_to_the_ledger(
    spans: InMemorySpanExporter, both: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    office, school = both
    school_id, today = f"traced-{uuid.uuid4().hex[:6]}", datetime.now(ZoneInfo("Europe/Rome")).date()
    assert (await school.put(f"/office/schools/{school_id}/calendar", json=EVERY_DAY)).status_code == 204
    family = await office.post("/office/families", json=_family(school_id))
    assert family.status_code == 201, family.text
    account = family.json()["account_id"]

    async def enrolled() -> bool:  # attendance learns of the child from `student-enrolled`
        count = await school.get(f"/office/schools/{school_id}/days/{today}/kitchen")
        return count.status_code == 200 and count.json()["total"] == 1

    await eventually(enrolled, timeout=30)
    closed = await school.post(f"/office/schools/{school_id}/days/{today}/close")
    assert closed.status_code == 200 and closed.json()["meals"] == 1, closed.text
    await eventually(lambda: _balance_is(office, account, -450), timeout=30)

    close = next(s for s in spans.get_finished_spans() if _is_close_request(s, school_id))
    in_trace = [s for s in spans.get_finished_spans() if s.context.trace_id == close.context.trace_id]
    names = {s.name for s in in_trace}
    assert any(n.endswith("accounts.charge-for-meal apply") for n in names), sorted(names)
    print("\nthe meal's trace:")  # shown with -s, and quoted in the issue note
    for s in sorted(in_trace, key=lambda s: s.start_time or 0):
        print(f"  {(s.end_time or 0) - (s.start_time or 0):>12,} ns  {s.name}")


def _is_close_request(span: ReadableSpan, school_id: str) -> bool:
    attributes = span.attributes or {}
    target = str(attributes.get("http.target") or attributes.get("url.path") or "")
    return span.kind is trace.SpanKind.SERVER and school_id in target and target.endswith("/close")


async def _balance_is(office: httpx.AsyncClient, account: str, cents: int) -> bool:
    balance = (await office.get(f"/accounts/{account}")).json().get("balance") or {}
    return balance.get("cents") == cents


def _family(school_id: str) -> dict[str, object]:
    child = {
        "tax_code": tax_code(year=2018),
        "first_name": "Ada",
        "last_name": "Traccia",
        "school_year": "2026/2027",
        "school_id": school_id,
        "class_id": "2A",
    }
    return {
        "holder_tax_code": tax_code(),
        "holder_first_name": "Eva",
        "holder_last_name": "Traccia",
        "students": [child],
    }
