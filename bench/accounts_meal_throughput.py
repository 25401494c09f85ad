"""How fast accounts charges meals: events/s until all are committed, and the delay from publish
to committed debit (p50/p99), with PostgreSQL's own pgbench TPC-B figure on this machine as a
reference, all in one run.

    source deploy/local/test.env && .venv/bin/python bench/accounts_meal_throughput.py \
        [--events 30000] [--accounts 2000] [--rate 1000] [--rate-seconds 15]

It starts `python -m accounts` as a real process on its own topic prefix and the accounts test
database, inserts M accounts directly, then:
1. burst: publishes N meal-consumed events as fast as it can and waits until all are booked;
2. steady: publishes at --rate events/s for --rate-seconds and reports the delays.
The delay of a meal is `ledger_entry.booked_at - envelope.occurred_at` (one machine, one clock).
Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer
from sqlalchemy.engine import make_url

from shared.events import Envelope, MealConsumed
from shared.messaging.kafka import create_topics
from testkit import processes


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
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = await db.fetchval("SELECT count(*) FROM ledger_entry WHERE source = 'meal' AND source_id = ANY($1)", ids)
        if done == len(ids):
            return time.monotonic()
        await asyncio.sleep(0.05)
    raise TimeoutError("not all meals were booked")


async def delays_ms(db: asyncpg.Connection, envelopes: list[Envelope[MealConsumed]]) -> list[float]:
    occurred = {str(e.data.meal_id): e.occurred_at for e in envelopes}
    rows = await db.fetch(
        "SELECT source_id, booked_at FROM ledger_entry WHERE source = 'meal' AND source_id = ANY($1)", list(occurred)
    )
    return [(r["booked_at"] - occurred[r["source_id"]]).total_seconds() * 1000 for r in rows]


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def pgbench(dsn_url: str) -> str:
    binary = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if binary is None:
        return "pgbench not found"
    url = make_url(dsn_url)
    env = os.environ | {"PGPASSWORD": url.password or ""}
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "", url.database or ""]
    subprocess.run([str(binary), "-i", "-q", "-s", "10", *args], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [str(binary), "-c", "4", "-j", "2", "-T", "15", *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    return next((line for line in out.splitlines() if line.startswith("tps")), out.strip())


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--rate", type=int, default=1_000)
    parser.add_argument("--rate-seconds", type=int, default=15)
    args = parser.parse_args()
    kafka = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    database_url = os.environ["ACCOUNTS_DATABASE_URL"]
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    await create_topics(kafka, prefix)
    topic = f"{prefix}meal-consumed"

    env = {"KAFKA_TOPIC_PREFIX": prefix, "ACCOUNTS_LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as logs, processes.running(["accounts"], env, Path(logs)):
        db = await asyncpg.connect(dsn)
        accounts = [uuid.uuid4() for _ in range(args.accounts)]
        await db.copy_records_to_table(
            "account",
            columns=["id", "holder_tax_code", "holder_first_name", "holder_last_name"],
            records=[(a, f"B{a.hex[:15].upper()}", "Bench", "Mark") for a in accounts],
        )
        producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all", enable_idempotence=True, linger_ms=5)
        await producer.start()
        try:
            burst = [meal(accounts[i % len(accounts)]) for i in range(args.events)]
            started = time.monotonic()
            await publish(producer, topic, burst)
            published = time.monotonic()
            finished = await wait_booked(db, [str(e.data.meal_id) for e in burst])
            burst_delays = await delays_ms(db, burst)

            steady: list[Envelope[MealConsumed]] = []
            tick = time.monotonic()
            for second in range(args.rate_seconds):
                batch = [meal(accounts[(second * args.rate + i) % len(accounts)]) for i in range(args.rate)]
                for start in range(0, args.rate, args.rate // 10):  # ten slices a second
                    chunk = [meal(e.data.account_id) for e in batch[start : start + args.rate // 10]]
                    steady.extend(chunk)
                    await publish(producer, topic, chunk)
                    tick += 0.1
                    await asyncio.sleep(max(0.0, tick - time.monotonic()))
            await wait_booked(db, [str(e.data.meal_id) for e in steady])
            steady_delays = await delays_ms(db, steady)
        finally:
            await producer.stop()
            await db.close()

    print(f"burst: {args.events} meal-consumed for {args.accounts} accounts")
    print(
        f"  published in {published - started:.1f} s; all committed after {finished - started:.1f} s "
        f"-> {args.events / (finished - started):.0f} events/s"
    )
    print(
        f"  delay publish->debit: p50 {percentile(burst_delays, 50):.0f} ms, p99 {percentile(burst_delays, 99):.0f} ms"
    )
    print(f"steady: {args.rate} events/s for {args.rate_seconds} s ({len(steady)} events)")
    print(
        f"  delay publish->debit: p50 {percentile(steady_delays, 50):.0f} ms, "
        f"p99 {percentile(steady_delays, 99):.0f} ms, max {max(steady_delays):.0f} ms"
    )
    print(f"pgbench TPC-B (scale 10, 4 clients, 15 s) on this machine: {pgbench(database_url)}")


if __name__ == "__main__":
    asyncio.run(main())
