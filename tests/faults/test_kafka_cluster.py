"""A three-node Kafka cluster loses a broker to `kill -9` in the middle of meals and payments.

Three combined broker/controller processes of the module's own (`deploy/local/kafka.sh` with
`REFETTORIO_KAFKA_NODES=3`), topics with replication factor 3 and `min.insync.replicas` 2, the
accounts and payments services as real processes on it. The broker that coordinates the meal
consumers is killed while meals are still being published and families pay through the pagoPA
node, and restarted later: nothing is lost, nothing doubled, and no process is restarted.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from testkit.infra import Infra
from testkit.private_kafka import PrivateKafka, private_kafka

from .books import Books, until_booked, wait_booked, wait_outboxes_drained
from .conftest import scratch_databases, topics
from .load import groups_of, meals, publish, register_families, school_days
from .pagopa import create_notice, expect_credits, pay
from .system import Service, note, service_env, serving

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateKafka]:
    with private_kafka(nodes=3) as kafka:
        note(f"three-node Kafka up on {kafka.bootstrap}")
        yield kafka


@pytest.fixture(scope="module")
async def payments_db(infra: Infra) -> AsyncIterator[str]:
    async with scratch_databases(infra, "payments") as urls:
        yield urls["payments"]


@pytest.fixture(scope="module")
async def services(
    cluster: PrivateKafka, accounts_db: str, payments_db: str, logs: Path
) -> AsyncIterator[dict[str, Service]]:
    async with topics(cluster.bootstrap, replication_factor=3, keep=True) as prefix:
        env = service_env(cluster.bootstrap, prefix, {"accounts": accounts_db, "payments": payments_db})
        started = {name: Service(name, env, logs) for name in ("accounts", "payments")}
        async with serving(*started.values()):
            yield started


async def test_topics_are_replicated_three_times_and_need_two_in_sync(
    cluster: PrivateKafka, services: dict[str, Service]
) -> None:
    topic = f"{services['accounts'].prefix}meal-consumed"
    admin = AIOKafkaAdminClient(bootstrap_servers=cluster.bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
        (config,) = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        await admin.close()
    assert {len(p["replicas"]) for p in described["partitions"]} == {3}
    settings = {entry[0]: entry[1] for entry in config.resources[0][4]}
    assert settings["min.insync.replicas"] == "2"


async def test_a_broker_killed_and_restarted_under_meals_and_payments(
    cluster: PrivateKafka, services: dict[str, Service], accounts_db: str, payments_db: str, books: Books
) -> None:
    accounts, payments = services["accounts"].url, services["payments"].url
    prefix = services["accounts"].prefix
    families = await register_families(accounts, 30, "primaria-cluster")
    burst = meals(families, school_days(60))  # 1,800 meals
    books.meals(burst)
    async with httpx.AsyncClient(timeout=30) as http:
        notices = await asyncio.gather(*(create_notice(http, payments, f, 2000) for f in families))
        # Meals as the schools close their days: a steady flow, not one burst.
        publishing = asyncio.create_task(publish(cluster.bootstrap, f"{prefix}meal-consumed", burst, per_second=100))
        paying = asyncio.create_task(pay_all(http, payments, notices))
        await until_booked(accounts_db, [str(m.data.meal_id) for m in burst], 0.2)
        victim = await meal_coordinator(cluster.bootstrap, prefix)
        cluster.kill(victim)
        note(f"broker {victim} (the meal consumers' coordinator) killed")
        await asyncio.sleep(5)
        await asyncio.to_thread(cluster.up)
        note(f"broker {victim} up again")
        await asyncio.gather(publishing, paying)

    await expect_credits(cluster.bootstrap, prefix, books, notices)
    await wait_booked(accounts_db, books)
    await wait_outboxes_drained(accounts_db, payments_db)
    for service in services.values():
        assert service.alive() and len(service.runs) == 1, f"{service.name} carried on without a restart"


async def pay_all(http: httpx.AsyncClient, payments_url: str, notices: list[str]) -> None:
    for notice in notices:
        await pay(http, payments_url, notice)
        await asyncio.sleep(0.1)


async def meal_coordinator(bootstrap: str, prefix: str) -> int:
    """The node that coordinates the consumer group of the meals (it holds its offsets)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        for group in await groups_of(bootstrap, prefix):
            offsets = await admin.list_consumer_group_offsets(group)
            if any(tp.topic == f"{prefix}meal-consumed" for tp in offsets):
                return int(await admin.find_coordinator(group))
    finally:
        with contextlib.suppress(Exception):
            await admin.close()
    raise AssertionError("no consumer group has committed meals yet")
