from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.bootstrap import make_app
from accounts.config import AccountsSettings
from shared.db import make_engine
from testkit.apps import running
from testkit.infra import Infra
from testkit.oidc import ProviderProcess

OFFICE_TOKEN = "test-office-token"
SERVICE_TOKEN = "test-service-token"


@pytest.fixture(scope="session")
def accounts_settings(infra: Infra, topic_prefix: str, identity_provider: ProviderProcess) -> AccountsSettings:
    return AccountsSettings(
        database_url=infra.database_urls["accounts"],
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        topic_prefix=topic_prefix,
        office_token=OFFICE_TOKEN,
        service_token=SERVICE_TOKEN,
        meal_price_cents=450,
        sibling_discount_percent=20,
        oidc_issuer=identity_provider.url,
        portal_url="http://test",  # the in-process app's address (testkit.apps)
        staff_password_login=True,  # on here, to test it (off by default)
        treasury_iban="IT02A0301503200000003517230",
        treasury_bic="BCITITMM",
        year_closing_batch_size=2,  # a year's few test families still take several batches
        year_closing_idle_seconds=0.2,
    )


@pytest.fixture(scope="session")
async def office(accounts_settings: AccountsSettings) -> AsyncIterator[httpx.AsyncClient]:
    """The accounts service running in-process, and an HTTP client with the office's credential."""
    async with running(make_app(accounts_settings), token=OFFICE_TOKEN) as client:
        yield client


@pytest.fixture(scope="module")
async def engine(accounts_settings: AccountsSettings) -> AsyncIterator[AsyncEngine]:
    """The service's database, for what a test (or an administrator) does outside the API."""
    made = make_engine(accounts_settings.database_url, pool_size=2)
    yield made
    await made.dispose()
