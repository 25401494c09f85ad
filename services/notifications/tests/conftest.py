from collections.abc import AsyncIterator

import httpx
import pytest

from notifications.bootstrap import make_app
from notifications.config import NotificationsSettings
from shared.testing.apps import running
from shared.testing.infra import Infra


@pytest.fixture(scope="session")
def notifications_settings(infra: Infra, topic_prefix: str) -> NotificationsSettings:
    return NotificationsSettings(
        database_url=infra.database_urls["notifications"],
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        topic_prefix=topic_prefix,
    )


@pytest.fixture(scope="session")
async def notifications(notifications_settings: NotificationsSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(make_app(notifications_settings)) as client:
        yield client
