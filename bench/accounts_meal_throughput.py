"""How fast accounts charges meals: events/s until all are committed, and the delay from publish
to committed debit (p50/p99), with PostgreSQL's own pgbench TPC-B figure on this machine as a
reference, all in one run (pgbench with durable commits, as the service commits).

    source deploy/local/test.env && .venv/bin/python bench/accounts_meal_throughput.py \
        [--events 30000] [--accounts 2000] [--rate 1000] [--rate-seconds 15]

It starts `python -m accounts` as a real process on its own topic prefix and a scratch database,
inserts M accounts directly, then:
1. burst: publishes N meal-consumed events as fast as it can and waits until all are booked;
2. steady: publishes at --rate events/s for --rate-seconds and reports the delays.
The delay of a meal is `ledger_entry.booked_at - envelope.occurred_at` (one machine, one clock).
Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer
from harness import Figure, consumer_batches, cpu_seconds, emit, percentile, pgbench, profiling

from shared.db import plain_dsn
from shared.events import Envelope, MealConsumed
from shared.messaging.kafka import create_topics
from testkit import processes
from testkit.databases import scratch_database


def meal(account: uuid.UUID) -> Envelope[MealConsumed]:
    data = MealConsumed(
        meal_id=uuid.uuid4(),
        student_id=uuid.uuid4(),
        account_id=account,
        school_id="bench",
        class_id="1A",
        service_date=date(2026, 11, 25),
    )
    return Envelope.wrap(data, producer="bench")


async def publish(producer: AIOKafkaProducer, topic: str, envelopes: list[Envelope[MealConsumed]]) -> None:
    futures = [await producer.send(topic, e.to_json(), key=str(e.data.account_id).encode()) for e in envelopes]
    await asyncio.gather(*futures)


async def wait_booked(db: asyncpg.Connection, ids: list[str], timeout: float = 600) -> float:
    """When the ledger holds every one of `ids`. The poll itself must cost the database nothing
    (it shares the machine with what it measures): the number of entries, from the highest
    entry number (one index probe, the scratch ledger holds only this run's meals); the ids
    themselves are counted only once there are enough entries."""
    deadline = time.monotonic() + timeout
    others = await db.fetchval(_HIGHEST) - await db.fetchval(_BOOKED, ids)  # entries not of `ids`
    while time.monotonic() < deadline:
        if await db.fetchval(_HIGHEST) >= others + len(ids) and await db.fetchval(_BOOKED, ids) == len(ids):
            return time.monotonic()
        await asyncio.sleep(0.05)
    raise TimeoutError("not all meals were booked")


_BOOKED = "SELECT count(*) FROM ledger_entry WHERE source = 'meal' AND source_id = ANY($1)"
_HIGHEST = "SELECT coalesce(max(seq), 0) FROM ledger_entry"


async def delays_ms(db: asyncpg.Connection, envelopes: list[Envelope[MealConsumed]]) -> list[float]:
    occurred = {str(e.data.meal_id): e.occurred_at for e in envelopes}
    rows = await db.fetch(
        "SELECT source_id, booked_at FROM ledger_entry WHERE source = 'meal' AND source_id = ANY($1)", list(occurred)
    )
    return [(r["booked_at"] - occurred[r["source_id"]]).total_seconds() * 1000 for r in rows]


async def burst(producer: AIOKafkaProducer, topic: str, db: asyncpg.Connection, accounts: list[uuid.UUID], n: int):
    """Publishes n meals as fast as it can: (events/s until all were committed, their delays)."""
    meals = [meal(accounts[i % len(accounts)]) for i in range(n)]
    started = time.monotonic()
    await publish(producer, topic, meals)
    print(f"  burst published in {time.monotonic() - started:.1f} s")
    finished = await wait_booked(db, [str(e.data.meal_id) for e in meals])
    return n / (finished - started), await delays_ms(db, meals)


async def steady(producer: AIOKafkaProducer, topic: str, db: asyncpg.Connection, accounts: list[uuid.UUID],
                 rate: int, seconds: int) -> list[float]:  # fmt: skip
    """Publishes `rate` meals a second in ten slices a second; their delays."""
    sent: list[Envelope[MealConsumed]] = []
    tick = time.monotonic()
    for second in range(seconds):
        for start in range(0, rate, rate // 10):
            chunk = [meal(accounts[(second * rate + start + i) % len(accounts)]) for i in range(rate // 10)]
            sent.extend(chunk)
            await publish(producer, topic, chunk)
            tick += 0.1
            await asyncio.sleep(max(0.0, tick - time.monotonic()))
    await wait_booked(db, [str(e.data.meal_id) for e in sent])
    return await delays_ms(db, sent)


async def seed_accounts(db: asyncpg.Connection, n: int) -> list[uuid.UUID]:
    accounts = [uuid.uuid4() for _ in range(n)]
    await db.copy_records_to_table(
        "account",
        columns=["id", "holder_tax_code", "holder_first_name", "holder_last_name"],
        records=[(a, f"B{a.hex[:15].upper()}", "Bench", "Mark") for a in accounts],
    )
    return accounts


async def measure(args: argparse.Namespace, database_url: str, kafka: str) -> list[Figure]:
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    await create_topics(kafka, prefix)
    topic = f"{prefix}meal-consumed"
    env = {"ACCOUNTS_DATABASE_URL": database_url, "KAFKA_TOPIC_PREFIX": prefix, "ACCOUNTS_LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as logs, processes.running(["accounts"], env, Path(logs)) as started:
        db = await asyncpg.connect(plain_dsn(database_url))
        producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all", enable_idempotence=True, linger_ms=5)
        await producer.start()
        try:
            accounts = await seed_accounts(db, args.accounts)
            pid = started["accounts"].process.pid
            with profiling({"accounts": pid}):
                cpu = cpu_seconds(pid)
                rate, burst_delays = await burst(producer, topic, db, accounts, args.events)
                print(f"  accounts CPU per meal: {1000 * (cpu_seconds(pid) - cpu) / args.events:.2f} ms")
                print(f"  {consumer_batches(started['accounts'].url, 'accounts.charge-for-meal')}")
                steady_delays = await steady(producer, topic, db, accounts, args.rate, args.rate_seconds)
        finally:
            await producer.stop()
            await db.close()
    print(
        f"burst: {args.events} meal-consumed for {args.accounts} accounts -> {rate:.0f} events/s, delay "
        f"p50 {percentile(burst_delays, 50):.0f} ms, p99 {percentile(burst_delays, 99):.0f} ms"
    )
    print(f"steady: {args.rate} events/s for {args.rate_seconds} s: delay p50 {percentile(steady_delays, 50):.0f} ms,"
          f" p99 {percentile(steady_delays, 99):.0f} ms, max {max(steady_delays):.0f} ms")  # fmt: skip
    return [
        Figure("ledger burst events/s", rate, "events/s", ("ratio", ">=", 2), 0.0, "pgbench TPC-B tps"),
        Figure(f"ledger p99 publish->debit at {args.rate}/s", percentile(steady_delays, 99), "ms",
               ("value", "<", 200)),
    ]  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--rate", type=int, default=1_000)
    parser.add_argument("--rate-seconds", type=int, default=15)
    args = parser.parse_args()
    kafka = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    base = os.environ["ACCOUNTS_DATABASE_URL"]
    async with scratch_database(base, "accounts_bench") as database_url:
        found = await measure(args, database_url, kafka)
    async with scratch_database(base, "pgbench") as pgbench_url:
        tps = pgbench(pgbench_url)
    print(f"pgbench TPC-B (scale 10, 4 clients, 15 s, synchronous_commit on): {tps:.0f} tps")
    emit([dataclasses.replace(found[0], reference=tps), found[1]])


if __name__ == "__main__":
    asyncio.run(main())
