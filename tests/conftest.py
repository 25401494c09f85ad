import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from testkit import processes
from testkit.browser import Screens, launch
from testkit.infra import SERVICES, Infra
from testkit.io import FakeIo, official_document
from testkit.io import serving as io_serving
from testkit.kafka import topics
from testkit.oidc import ProviderProcess
from testkit.smtp import Mailbox, serving

from .aca_stand_in import AcaStandIn
from .pagopa_node_simulator import CheckoutSimulator

OFFICE_TOKEN = "e2e-office-token"
TREASURY_IBAN = "IT02A0301503200000003517230"  # the municipality's treasury, debtor of the refunds
SERVICE_TOKEN = "e2e-service-token"
NODE_SECRET = "e2e-node-secret"
CHECKOUT_KEY = "e2e-checkout-key"
IO_KEY = "e2e-io-subscription-key"
ACA_KEY = "e2e-aca-key"


@pytest.fixture(scope="session")
async def e2e_prefix(kafka: str) -> AsyncIterator[str]:
    """The processes get topics of their own, apart from the in-process component tests."""
    async with topics(kafka, f"e{uuid.uuid4().hex[:8]}.") as prefix:
        yield prefix


@pytest.fixture(scope="session")
def e2e_mailbox() -> Iterator[Mailbox]:
    """The SMTP server the notifications process sends to."""
    with serving() as box:
        yield box


@pytest.fixture(scope="session")
def e2e_io() -> Iterator[FakeIo]:
    """The app IO the notifications process sends to, checking each request against IO's
    document; nobody is on IO until a test says so."""
    with io_serving(official_document(), IO_KEY) as fake:
        yield fake


@pytest.fixture(scope="session")
def checkout() -> Iterator[CheckoutSimulator]:
    """pagoPA Checkout's cart API, played on a loopback port."""
    with CheckoutSimulator(CHECKOUT_KEY) as simulator:
        yield simulator


@pytest.fixture(scope="session")
def aca() -> Iterator[AcaStandIn]:
    """pagoPA's ACA, played on a loopback port, checking every request against the official
    OpenAPI document of the shared spec."""
    spec = next(
        p / "shared/pagopa/spec/openapi/paCreatePosition.json"
        for p in Path(__file__).parents
        if (p / "shared/pagopa").is_dir()
    )
    with AcaStandIn(ACA_KEY, spec=spec) as played:
        yield played


def aca_env(aca: AcaStandIn) -> dict[str, str]:
    """Payments sends to the stand-in, and retries quickly."""
    return {
        "PAYMENTS_ACA_API_URL": aca.url,
        "PAYMENTS_ACA_SUBSCRIPTION_KEY": ACA_KEY,
        "PAYMENTS_ACA_IDLE_SECONDS": "0.2",
        "PAYMENTS_ACA_RETRY_BASE_SECONDS": "0.1",
        "PAYMENTS_ACA_RETRY_CAP_SECONDS": "0.5",
    }


def service_env(
    infra: Infra,
    prefix: str,
    mailbox: Mailbox,
    io: FakeIo,
    checkout: CheckoutSimulator,
    aca: AcaStandIn,
    identity_provider: ProviderProcess,
    database_urls: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of the services' processes: the broker under `prefix`, the databases, the
    stand-ins for SMTP, IO, Checkout, ACA and the OIDC provider, the tokens of the run."""
    env = aca_env(aca) | {
        "ACCOUNTS_OIDC_ISSUER": identity_provider.url,
        "PAYMENTS_CHECKOUT_API_URL": checkout.url,
        "PAYMENTS_CHECKOUT_SUBSCRIPTION_KEY": CHECKOUT_KEY,
        "NOTIFICATIONS_SMTP_PORT": str(mailbox.port),
        "NOTIFICATIONS_IO_BASE_URL": io.url,
        "NOTIFICATIONS_IO_API_KEY": IO_KEY,
        "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": prefix,
        "ACCOUNTS_OFFICE_TOKEN": OFFICE_TOKEN,
        "ACCOUNTS_MEAL_PRICE_CENTS": "450",
        "ACCOUNTS_TREASURY_IBAN": TREASURY_IBAN,
        "ACCOUNTS_YEAR_CLOSING_BATCH_SIZE": "5",  # a few batches even for the test runs' families
        "PAYMENTS_NODE_SECRET": NODE_SECRET,
    }
    for name in SERVICES:
        env[f"{name.upper()}_DATABASE_URL"] = (database_urls or infra.database_urls)[name]
        env[f"{name.upper()}_SERVICE_TOKEN"] = SERVICE_TOKEN
    return env


@pytest.fixture(scope="session")
def system(
    infra: Infra,
    e2e_prefix: str,
    e2e_mailbox: Mailbox,
    e2e_io: FakeIo,
    checkout: CheckoutSimulator,
    aca: AcaStandIn,
    identity_provider: ProviderProcess,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, processes.ServiceProcess]]:
    """The four services as real processes on the real broker and databases, logging parents in
    through the OIDC provider process (the SPID/CIE stand-in)."""
    env = service_env(infra, e2e_prefix, e2e_mailbox, e2e_io, checkout, aca, identity_provider)
    log_dir = Path(tmp_path_factory.mktemp("e2e-logs"))
    with processes.running(list(SERVICES), env, log_dir) as started:
        yield started


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, driven by Playwright (see testkit.browser)."""
    async with async_playwright() as playwright:
        launched = await launch(playwright)
        yield launched
        await launched.close()


@pytest.fixture(scope="session")
def screens() -> Screens:
    return Screens()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A journey's timeout counts the journey: the processes it runs on start once per session,
    in the setup of whichever test needs them first, within their own bounds
    (`processes.wait_ready`), which a loaded machine can bring close to the per-test timeout."""
    for item in items:
        if "system" in getattr(item, "fixturenames", ()) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(func_only=True))  # the run's timeout, on the test alone
    # Stopping the session's processes (and checking they stop cleanly) comes after every journey.
    items.sort(key=lambda item: item.name == "test_services_stop_cleanly_on_sigterm")
