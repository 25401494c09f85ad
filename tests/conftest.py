import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.messaging.kafka import create_topics
from testkit import processes
from testkit.infra import SERVICES, Infra
from testkit.smtp import Mailbox, serving

from .pagopa_node_simulator import CheckoutSimulator

OFFICE_TOKEN = "e2e-office-token"
SERVICE_TOKEN = "e2e-service-token"
NODE_SECRET = "e2e-node-secret"
CHECKOUT_KEY = "e2e-checkout-key"


@pytest.fixture(scope="session")
async def e2e_prefix(kafka: str) -> str:
    """The processes get topics of their own, apart from the in-process component tests."""
    prefix = f"e{uuid.uuid4().hex[:8]}."
    await create_topics(kafka, prefix)
    return prefix


@pytest.fixture(scope="session")
def e2e_mailbox() -> Iterator[Mailbox]:
    """The SMTP server the notifications process sends to."""
    with serving() as box:
        yield box


@pytest.fixture(scope="session")
def checkout() -> Iterator[CheckoutSimulator]:
    """pagoPA Checkout's cart API, played on a loopback port."""
    with CheckoutSimulator(CHECKOUT_KEY) as simulator:
        yield simulator


@pytest.fixture(scope="session")
def system(
    infra: Infra,
    e2e_prefix: str,
    e2e_mailbox: Mailbox,
    checkout: CheckoutSimulator,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, processes.ServiceProcess]]:
    """The four services as real processes on the real broker and databases."""
    env = {
        "PAYMENTS_CHECKOUT_API_URL": checkout.url,
        "PAYMENTS_CHECKOUT_SUBSCRIPTION_KEY": CHECKOUT_KEY,
        "NOTIFICATIONS_SMTP_PORT": str(e2e_mailbox.port),
        "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": e2e_prefix,
        "ACCOUNTS_OFFICE_TOKEN": OFFICE_TOKEN,
        "ACCOUNTS_MEAL_PRICE_CENTS": "450",
        "PAYMENTS_NODE_SECRET": NODE_SECRET,
    }
    for name in SERVICES:
        env[f"{name.upper()}_DATABASE_URL"] = infra.database_urls[name]
        env[f"{name.upper()}_SERVICE_TOKEN"] = SERVICE_TOKEN
    log_dir = Path(tmp_path_factory.mktemp("e2e-logs"))
    with processes.running(list(SERVICES), env, log_dir) as started:
        yield started
