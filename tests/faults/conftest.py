"""Fixtures of the fault suite.

Each module gets databases of its own (created empty, dropped at the end), so that "nothing
unexpected" and "every balance equals its movements" are about what the module did, and its own
`Books`, what the module's tests expect the ledger to hold. Each test gets topics of its own.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from shared.messaging.kafka import create_topics
from shared.topics import all_topic_names
from testkit.databases import scratch_database
from testkit.infra import Infra

from .books import Books


@pytest.fixture(scope="module")
def books() -> Books:
    return Books()


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])


@contextlib.asynccontextmanager
async def scratch_databases(infra: Infra, *services: str) -> AsyncIterator[dict[str, str]]:
    """An empty database for each of these services, on the shared server; dropped at the end."""
    async with contextlib.AsyncExitStack() as stack:
        yield {
            name: await stack.enter_async_context(scratch_database(infra.database_urls[name], f"faults_{name}"))
            for name in services
        }


@pytest.fixture(scope="module")
async def accounts_db(infra: Infra) -> AsyncIterator[str]:
    """An empty database for the accounts processes of the module."""
    async with scratch_databases(infra, "accounts") as urls:
        yield urls["accounts"]


@contextlib.asynccontextmanager
async def topics(bootstrap: str, replication_factor: int = 1, keep: bool = False) -> AsyncIterator[str]:
    """Every topic under a new prefix (yielded), deleted at the end unless `keep` (a private
    broker, discarded anyway): the shared broker keeps no module's topics."""
    prefix = f"f{uuid.uuid4().hex[:8]}."
    await create_topics(bootstrap, prefix, replication_factor)
    try:
        yield prefix
    finally:
        if not keep:
            await _delete(bootstrap, prefix)


async def _delete(bootstrap: str, prefix: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    with contextlib.suppress(KafkaError):
        await admin.start()
        await admin.delete_topics(list(all_topic_names(prefix)))
    await admin.close()
