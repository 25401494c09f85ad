"""The one fixture layer every test uses (registered by the root `conftest.py`)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from testkit.infra import Infra, resolve
from testkit.kafka import topics


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    with resolve() as found:
        yield found


@pytest.fixture(scope="session")
def kafka(infra: Infra) -> str:
    return infra.kafka_bootstrap_servers


@pytest.fixture(scope="session")
async def topic_prefix(kafka: str) -> AsyncIterator[str]:
    """Every test session gets its own set of topics: runs never see each other's events."""
    async with topics(kafka, f"t{uuid.uuid4().hex[:8]}.") as prefix:
        yield prefix


@pytest.fixture
async def own_topics(kafka: str) -> AsyncIterator[str]:
    """A test's own set of topics (its prefix), deleted after it."""
    async with topics(kafka, f"k{uuid.uuid4().hex[:8]}.") as prefix:
        yield prefix


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]
