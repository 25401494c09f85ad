"""The four services served over real HTTP from inside the test process, each through its real
lifespan (migrations, Kafka consumers, outbox relay) on the real broker, with databases of this
run's own, and wired to each other as in production (the gateway calls the others); pagoPA
Checkout, SMTP and Twilio are the test kit's loopback servers. Some data is made first, so that
the fuzzer's requests reach past "not found" now and then (`Known`)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from fastapi import FastAPI

from accounts.bootstrap import make_app as accounts_app
from accounts.config import AccountsSettings
from attendance.bootstrap import make_app as attendance_app
from attendance.config import AttendanceSettings
from notifications.bootstrap import make_app as notifications_app
from notifications.config import NotificationsSettings
from payments.bootstrap import make_app as payments_app
from payments.config import PaymentsSettings
from shared.messaging.kafka import create_topics
from testkit.apps import ports_for, serving
from testkit.data import tax_code
from testkit.databases import scratch_database
from testkit.infra import SERVICES, Infra
from testkit.smtp import Mailbox
from testkit.twilio import FakeTwilio
from testkit.twilio import serving as twilio_serving

from ..pagopa_node_simulator import CheckoutSimulator
from .fuzzing import EXISTING, Known

OFFICE_TOKEN = "fuzz-office-token"
SERVICE_TOKEN = "fuzz-service-token"
NODE_SECRET = "fuzz-node-secret"
SCHOOL = "primaria-fuzz"
CLASS = "4A"


@pytest.fixture(scope="session")
async def fuzz_prefix(kafka: str) -> AsyncIterator[str]:
    """Topics and consumer groups of the fuzzed services' own, apart from the component tests',
    deleted afterwards (leftover partitions slow the shared broker down)."""
    prefix = f"z{uuid.uuid4().hex[:8]}."
    created = await create_topics(kafka, prefix)
    yield prefix
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka, client_id="refettorio-fuzz-cleanup")
    await admin.start()
    try:
        with contextlib.suppress(KafkaError):
            await admin.delete_topics(created)
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def fuzz_databases(infra: Infra) -> AsyncIterator[dict[str, str]]:
    """An empty database per service: what the fuzzer writes stays out of the other tests' way."""
    async with contextlib.AsyncExitStack() as stack:
        yield {
            name: await stack.enter_async_context(scratch_database(infra.database_urls[name], f"fuzz_{name}"))
            for name in SERVICES
        }


@pytest.fixture(scope="session")
def fuzz_twilio() -> Iterator[FakeTwilio]:
    with twilio_serving() as fake:
        yield fake


def _apps(
    common: dict[str, Any],
    db: dict[str, str],
    urls: dict[str, str],
    checkout: CheckoutSimulator,
    box: Mailbox,
    twilio: FakeTwilio,
) -> dict[str, FastAPI]:
    return {
        "accounts": accounts_app(
            AccountsSettings(
                database_url=db["accounts"],
                office_token=OFFICE_TOKEN,
                attendance_url=urls["attendance"],
                payments_url=urls["payments"],
                notifications_url=urls["notifications"],
                **common,
            )
        ),
        "attendance": attendance_app(AttendanceSettings(database_url=db["attendance"], **common)),
        "payments": payments_app(
            PaymentsSettings(
                database_url=db["payments"],
                node_secret=NODE_SECRET,
                checkout_api_url=checkout.url,
                checkout_subscription_key=checkout.subscription_key,
                **common,
            )
        ),
        "notifications": notifications_app(
            NotificationsSettings(
                database_url=db["notifications"],
                smtp_host="127.0.0.1",
                smtp_port=box.port,
                twilio_base_url=twilio.url,
                twilio_auth_token="fuzz-twilio-token",
                sender_idle_seconds=5.0,
                reminder_interval_seconds=0,  # no daily schedule during a fuzzing run
                **common,
            )
        ),
    }


@pytest.fixture(scope="session")
def services(
    infra: Infra,
    fuzz_prefix: str,
    fuzz_databases: dict[str, str],
    checkout: CheckoutSimulator,
    e2e_mailbox: Mailbox,
    fuzz_twilio: FakeTwilio,
) -> Iterator[dict[str, str]]:
    """The base URL of each running service."""
    ports = ports_for(list(SERVICES))
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    common = {
        "environment": "test",
        "kafka_bootstrap_servers": infra.kafka_bootstrap_servers,
        "topic_prefix": fuzz_prefix,
        "service_token": SERVICE_TOKEN,
        "outbox_idle_seconds": 10.0,  # the relays wake on NOTIFY; polling less leaves the CPU to the fuzzer
    }
    apps = _apps(common, fuzz_databases, urls, checkout, e2e_mailbox, fuzz_twilio)
    with serving(apps, ports) as served:
        yield served


@pytest.fixture(scope="session", autouse=True)
def known(services: dict[str, str]) -> Known:
    """A family with a child, a terminal of its school and a payment notice, made through the APIs
    before any request is generated (the fuzzer's path parameters name them half of the time)."""
    office = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    family = _created(httpx.post(f"{services['accounts']}/office/families", headers=office, json=_family()), "family")
    terminal = _created(
        httpx.post(f"{services['attendance']}/office/terminals", headers=service, json={"school_id": SCHOOL}),
        "terminal",
    )
    notice = _created(
        httpx.post(
            f"{services['payments']}/internal/notices",
            headers=service,
            json={
                "account_id": family["account_id"],
                "amount_cents": 2500,
                "debtor_tax_code": tax_code(),
                "debtor_name": "Mario Rossi",
            },
        ),
        "notice",
    )
    known = Known(
        values={
            "account_id": family["account_id"],
            "student_id": family["student_ids"][0],
            "school_id": SCHOOL,
            "class_id": CLASS,
            "terminal_id": terminal["terminal_id"],
            "notice_number": notice["notice_number"],
            "service_date": "2026-11-25",
            "day": "2026-11-25",
        },
        terminal_token=terminal["token"],
    )
    EXISTING.update(known.values)
    return known


def _family() -> dict[str, Any]:
    return {
        "holder_tax_code": tax_code(),
        "holder_first_name": "Mario",
        "holder_last_name": "Rossi",
        "email": "mario.rossi@example.it",
        "students": [
            {
                "tax_code": tax_code(year=2017),
                "first_name": "Giulia",
                "last_name": "Rossi",
                "school_year": "2026/2027",
                "school_id": SCHOOL,
                "class_id": CLASS,
            }
        ],
    }


def _created(response: httpx.Response, what: str) -> dict[str, Any]:
    assert response.status_code == 201, f"{what}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body
