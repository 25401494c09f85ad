"""Two accounts processes on one database and one consumer group, on the shared broker: a drain
on SIGTERM, redelivery and a replay from offset 0, concurrent debits of one account through
both processes with Idempotency-Keys, and a rebalance under a steady flow of meals."""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from testkit.kafka import eventually

from .books import Books, meals_booked, until_booked, wait_booked
from .conftest import topics
from .load import (
    OFFICE,
    Family,
    caught_up,
    committed,
    groups_of,
    meals,
    publish,
    register_families,
    rewind,
    school_days,
    top_up,
)
from .system import MEAL_PRICE_CENTS, Service, note, service_env, serving, stop_all

pytestmark = pytest.mark.timeout(420)
DAYS = school_days(90)


@pytest.fixture(scope="module")
async def pair(kafka: str, accounts_db: str, logs: Path) -> AsyncIterator[tuple[Service, Service]]:
    """Two accounts processes; the first is started, the second when a test wants it."""
    async with topics(kafka) as prefix:
        env = service_env(kafka, prefix, {"accounts": accounts_db})
        first, second = Service("accounts", env, logs), Service("accounts", env, logs)
        async with serving(first):
            yield first, second
            await stop_all(second)


@pytest.fixture(scope="module")
async def families(pair: tuple[Service, Service]) -> list[Family]:
    return await register_families(pair[0].url, 100, "primaria-repliche")


async def test_sigterm_drains_and_a_replay_from_offset_zero_changes_nothing(
    pair: tuple[Service, Service], families: list[Family], kafka: str, accounts_db: str, books: Books
) -> None:
    first, _ = pair
    meal_topic, payment_topic = f"{first.prefix}meal-consumed", f"{first.prefix}payment-received"
    burst = meals(families, DAYS[:30])
    credits = [top_up(f.account_id, 1000) for f in families]
    books.meals(burst)
    for credit in credits:
        books.top_up(credit.data.payment_id, credit.data.account_id, 1000)
    groups = await groups_of(kafka, first.prefix)
    await publish(kafka, meal_topic, burst)
    await publish(kafka, payment_topic, credits)

    await until_booked(accounts_db, [str(m.data.meal_id) for m in burst], 0.3)
    code = await first.stop()
    booked = await meals_booked(accounts_db, [str(m.data.meal_id) for m in burst])
    offsets = await committed(kafka, groups, meal_topic)
    note(f"SIGTERM: exit {code}, {booked} meals booked, {offsets} committed")
    assert code in (0, -signal.SIGTERM), first.current.tail()
    assert booked == offsets, "a drain commits the offsets of every batch it booked, and no other"

    # The same records again (a producer's redelivery), then every group back to offset 0.
    await publish(kafka, meal_topic, burst[:500])
    await publish(kafka, payment_topic, credits[:50])
    await rewind_all(kafka, groups, first.prefix)
    await first.start()
    for topic in (meal_topic, payment_topic):
        await eventually(lambda t=topic: caught_up(kafka, groups, t), timeout=180, interval=1)
    note("replayed from offset 0")
    await wait_booked(accounts_db, books)


async def rewind_all(kafka: str, groups: list[str], prefix: str) -> None:
    await rewind(kafka, groups, [f"{prefix}{t}" for t in ("meal-consumed", "meal-cancelled", "payment-received")])


async def test_concurrent_debits_of_one_account_through_both_processes(
    pair: tuple[Service, Service], kafka: str, accounts_db: str, books: Books
) -> None:
    """Meals and top-ups from Kafka, adjustments and paper vouchers from the office, all at once
    on one account; every office command sent to both processes with one Idempotency-Key."""
    first, second = pair
    if not second.alive():
        await second.start()
    (family,) = await register_families(first.url, 1, "primaria-concorrenza", children=4)
    account = str(family.account_id)
    lunches = meals([family], DAYS[:50])  # 200 meals
    credits = [top_up(family.account_id, 2500) for _ in range(10)]
    books.meals(lunches)
    for credit in credits:
        books.top_up(credit.data.payment_id, account, 2500)
    async with httpx.AsyncClient(headers=OFFICE, timeout=60) as http:
        commands = [adjustment(i) for i in range(20)] + [vouchers(family, i) for i in range(10)]
        events = asyncio.gather(
            publish(kafka, f"{first.prefix}meal-consumed", lunches),
            publish(kafka, f"{first.prefix}payment-received", credits),
        )
        booked = await asyncio.gather(*(twice(http, (first.url, second.url), account, c) for c in commands))
        await events
        for entry_id, cents in booked:
            books.entry(entry_id, account, cents)
        path, body, key, _ = commands[0]
        for url in (first.url, second.url):
            reused = await http.post(
                f"{url}/office/accounts/{account}/{path}",
                json=body | {"amount_cents": 1},
                headers={"Idempotency-Key": key},
            )
            assert reused.status_code == 409 and reused.json()["code"] == "chiave_idempotenza_riutilizzata"
        await wait_booked(accounts_db, books)
        view = (await http.get(f"{second.url}/accounts/{account}")).json()
    assert view["balance"]["cents"] == books.balances()[family.account_id]


Command = tuple[str, dict[str, object], str, int]  # path, body, Idempotency-Key, cents


def adjustment(i: int) -> Command:
    cents = (-1) ** i * (100 + i)
    return "adjustments", {"amount_cents": cents, "reason": f"Rettifica numero {i}"}, uuid.uuid4().hex, cents


def vouchers(family: Family, i: int) -> Command:
    body = {
        "student_id": str(family.student_ids[i % 4]),
        "count": 2,
        "unit_cents": MEAL_PRICE_CENTS,
        "received_on": "2026-11-20",
    }
    return "paper-vouchers", body, uuid.uuid4().hex, 2 * MEAL_PRICE_CENTS


async def twice(http: httpx.AsyncClient, urls: tuple[str, str], account: str, command: Command) -> tuple[str, int]:
    """The same command with the same key to both processes at once: one booking, one answer."""
    path, body, key, cents = command
    first, second = await asyncio.gather(
        *(
            http.post(f"{url}/office/accounts/{account}/{path}", json=body, headers={"Idempotency-Key": key})
            for url in urls
        )
    )
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json() == second.json()
    return str(first.json()["entry_id"]), cents


async def test_a_rebalance_under_a_steady_flow_of_meals(
    pair: tuple[Service, Service], families: list[Family], kafka: str, accounts_db: str, books: Books
) -> None:
    """Of two processes sharing the meals, one leaves the group (SIGTERM) while meals keep
    arriving: its partitions go to the other mid-flow."""
    first, second = pair
    runs_before = len(first.runs)  # whatever the module's earlier tests did to it
    if not second.alive():
        await second.start()
    topic = f"{first.prefix}meal-consumed"
    await eventually(lambda: second.assigned(topic), timeout=90)
    stop = asyncio.Event()
    flowing = asyncio.create_task(flow(kafka, topic, families, DAYS[30:90], stop, books))
    await asyncio.sleep(3)
    await second.stop()
    note("the second process left the group")
    await asyncio.sleep(4)
    stop.set()
    days = await flowing
    note(f"{days} days of meals flowed")
    assert days < len(DAYS[30:90]), "the flow lasted through the rebalance"
    await wait_booked(accounts_db, books)
    assert first.alive() and len(first.runs) == runs_before  # it carried on: never restarted


async def flow(
    kafka: str, topic: str, families: list[Family], days: list[date], stop: asyncio.Event, books: Books
) -> int:
    """A day of meals of every family each second, until `stop`; returns the days sent."""
    for sent, day in enumerate(days):
        if stop.is_set():
            return sent
        batch = meals(families, [day])
        books.meals(batch)
        await publish(kafka, topic, batch)
        await asyncio.sleep(1)
    return len(days)
