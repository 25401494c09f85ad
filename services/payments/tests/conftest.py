import importlib.util
import json
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from payments.adapters import tables
from payments.bootstrap import make_app
from payments.config import PaymentsSettings
from shared.db import make_engine
from testkit.apps import running
from testkit.data import tax_code
from testkit.infra import Infra
from testkit.kafka import eventually, read_all

SERVICE_TOKEN = "test-service-token"
NODE_SECRET = "test-node-secret"
ROOT = Path(__file__).resolve().parents[3]


def _load(name: str) -> ModuleType:
    """The node simulator and the ACA stand-in live outside the service (tests/), as the node and
    ACA do; each is loaded once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


simulator = _load("pagopa_node_simulator")
stand_in = _load("aca_stand_in")
ACA_KEY = "test-aca-key"


@pytest.fixture(scope="session")
def checkout() -> "Iterator[simulator.CheckoutSimulator]":
    with simulator.CheckoutSimulator("test-checkout-key") as played:
        yield played


@pytest.fixture(scope="session")
def aca() -> "Iterator[stand_in.AcaStandIn]":
    """pagoPA's ACA, played on a loopback port; it checks every request against the official
    OpenAPI document of the shared spec (not the service's copy)."""
    with stand_in.AcaStandIn(ACA_KEY, spec=SPEC / "openapi" / "paCreatePosition.json") as played:
        yield played


@pytest.fixture(scope="session")
def settings(
    infra: Infra, topic_prefix: str, checkout: "simulator.CheckoutSimulator", aca: "stand_in.AcaStandIn"
) -> PaymentsSettings:
    return PaymentsSettings(
        database_url=infra.database_urls["payments"],
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        topic_prefix=topic_prefix,
        service_token=SERVICE_TOKEN,
        node_secret=NODE_SECRET,
        checkout_api_url=checkout.url,
        checkout_subscription_key="test-checkout-key",
        aca_api_url=aca.url,
        aca_subscription_key=ACA_KEY,
        aca_idle_seconds=0.2,
        aca_retry_base_seconds=0.1,
        aca_retry_cap_seconds=0.5,
    )


@pytest.fixture(scope="session")
async def payments(settings: PaymentsSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(make_app(settings), token=SERVICE_TOKEN) as client:
        yield client


@pytest.fixture(scope="session")
def node(payments: httpx.AsyncClient) -> "simulator.NodeSimulator":
    return simulator.NodeSimulator("", NODE_SECRET, http=payments)


def _shared_spec() -> Path:
    """The official pagoPA files in the project's shared folder, beside the repository (or beside
    the folder that holds the repository's worktrees)."""
    for folder in ROOT.parents:
        if (folder / "shared" / "pagopa" / "spec").is_dir():
            return folder / "shared" / "pagopa" / "spec"
    raise FileNotFoundError(f"no shared/pagopa/spec above {ROOT}")


SPEC = _shared_spec()


@pytest.fixture(scope="session")
def official_schema() -> etree.XMLSchema:
    """The official paForNode.xsd from the shared spec (not the service's copy)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SPEC / "wsdl" / "xsd" / "paForNode.xsd"), parser))


NewNotice = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def new_notice(payments: httpx.AsyncClient) -> NewNotice:
    async def create(amount_cents: int = 2500, **extra: Any) -> dict[str, Any]:
        body = {
            "account_id": str(uuid.uuid4()),
            "amount_cents": amount_cents,
            "debtor_tax_code": tax_code(),
            "debtor_name": "Anna Verdi",
        } | extra
        response = await payments.post("/internal/notices", json=body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    return create


Received = Callable[[str, int], Awaitable[list[dict[str, Any]]]]


@pytest.fixture(scope="session")
async def payments_db(settings: PaymentsSettings) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(settings.database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
def received(kafka: str, topic_prefix: str, payments_db: AsyncEngine) -> Received:
    """The `payment-received` events of one account, all of them: a receipt's event is committed to
    the outbox before the node hears OK, so once the outbox holds none unpublished, every event the
    test caused is on the topic, and reading it whole finds them (and any unwanted extra)."""
    topic = f"{topic_prefix}payment-received"
    outbox = tables.metadata.tables["outbox"]

    async def relayed() -> tuple[int] | None:
        async with payments_db.connect() as conn:
            pending, total = (
                await conn.execute(
                    select(func.count().filter(outbox.c.published_at.is_(None)), func.count()).where(
                        outbox.c.topic == topic
                    )
                )
            ).one()
        return None if pending else (total,)

    async def of_account(account_id: str, expected: int) -> list[dict[str, Any]]:
        del expected  # the outbox says how many there are; the caller asserts how many it wanted
        (total,) = await eventually(relayed)
        records = await read_all(kafka, topic, expect=total, settle=0)
        data = (json.loads(r.value)["data"] for r in records)
        return [d for d in data if d["account_id"] == account_id]

    return of_account
