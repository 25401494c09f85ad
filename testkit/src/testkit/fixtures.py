"""The one fixture layer every test uses (registered by the root `conftest.py`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from shared.messaging.kafka import create_topics
from testkit.infra import Infra, resolve


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    with resolve() as found:
        yield found


@pytest.fixture(scope="session")
def kafka(infra: Infra) -> str:
    return infra.kafka_bootstrap_servers


@pytest.fixture(scope="session")
async def topic_prefix(kafka: str) -> str:
    """Every test session gets its own set of topics: runs never see each other's events."""
    prefix = f"t{uuid.uuid4().hex[:8]}."
    await create_topics(kafka, prefix)
    return prefix


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]
