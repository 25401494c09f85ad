from collections.abc import AsyncIterator

import httpx
import pytest

from payments.bootstrap import make_app
from payments.config import PaymentsSettings
from shared.testing.apps import running
from shared.testing.infra import Infra

SERVICE_TOKEN = "test-service-token"


@pytest.fixture(scope="session")
async def payments(infra: Infra, topic_prefix: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = PaymentsSettings(
        database_url=infra.database_urls["payments"],
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        topic_prefix=topic_prefix,
        service_token=SERVICE_TOKEN,
    )
    async with running(make_app(settings), token=SERVICE_TOKEN) as client:
        yield client
