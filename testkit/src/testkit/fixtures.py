"""The one fixture layer every test uses (registered by the root `conftest.py`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from testkit import oidc
from testkit.infra import Infra, resolve
from testkit.kafka import topics

# The accounts service's secrets that have no default (deploy/local/dev.env sets the local ones,
# deploy/local/test.env these): every test run gets them, whatever environment file it was
# started with, unless that file names its own. Settings built in-process and the processes the
# tests start both read them.
TEST_SECRETS = {
    "ACCOUNTS_SESSION_SECRET": "test-session-secret-for-the-login-cookie",
    "ACCOUNTS_OIDC_CLIENT_SECRET": "test-oidc-client-secret",
}


def pytest_configure() -> None:
    for name, value in TEST_SECRETS.items():
        os.environ.setdefault(name, value)


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


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[oidc.ProviderProcess]:
    """The SPID/CIE stand-in, a real OpenID Connect provider process on a free port."""
    with oidc.serving(tmp_path_factory.mktemp("oidc") / "provider.log") as provider:
        yield provider


def pytest_report_header() -> str:
    from testkit.browser import versions

    return versions()
