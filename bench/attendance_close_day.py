"""Closing a city-sized day on the attendance service.

200 schools, 7,000 classes, 150,000 enrolled students, 8% absent. The roster and the absences are
seeded straight into a dedicated database (COPY); then every school's day is closed through the
HTTP API of a real `python -m attendance` process, whose outbox relay publishes to the real Kafka.
Prints the time from the first close to the last `meal-consumed` published (the outbox's
`published_at`, cross-checked against the topic's end offsets), the service's peak RSS, and how
long the city-wide kitchen count takes before the close (forecast) and after it (final).

    source deploy/local/test.env   # or any ATTENDANCE_DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS
    .venv/bin/python bench/attendance_close_day.py [--schools 200 --classes 7000 --students 150000]

Targets on a 2-core machine: under 30 s, under 500 MB. The database and topics are unique to the
run (`testkit.databases.scratch_database`, dropped at the end); the process is started and
stopped by `testkit.processes`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.db import plain_dsn
from shared.messaging.kafka import create_topics
from shared.topics import PARTITIONS, Topic
from testkit import processes
from testkit.acting import ForPerson
from testkit.databases import scratch_database

DAY = date(2026, 11, 25)  # a Wednesday of school year 2026/2027
TOKEN = "bench-service-token"
DEFAULT_DATABASE = "postgresql+asyncpg://refettorio:refettorio@127.0.0.1:5432/attendance"


def roster_rows(schools: int, classes: int, students: int) -> list[tuple[object, ...]]:
    rng = random.Random(42)
    per_school = classes // schools
    rows: list[tuple[object, ...]] = []
    for n in range(students):
        klass = n % classes
        school = f"bench-school-{klass // per_school % schools:03d}"
        diet = "senza_glutine" if rng.random() < 0.05 else "standard"
        rows.append((uuid.uuid4(), uuid.uuid4(), school, f"class-{klass:04d}", diet, "2026/2027", True))
    return rows


async def seed(dsn: str, rows: list[tuple[object, ...]], absent_share: float) -> int:
    rng = random.Random(7)
    absent = [(DAY, row[0], row[2], row[3]) for row in rows if rng.random() < absent_share]
    conn = await asyncpg.connect(dsn)
    try:
        columns = ["student_id", "account_id", "school_id", "class_id", "diet", "school_year", "active"]
        await conn.copy_records_to_table("roster", records=rows, columns=columns)
        await conn.copy_records_to_table(
            "absence", records=absent, columns=["service_date", "student_id", "school_id", "class_id"]
        )
        await conn.execute("ANALYZE roster; ANALYZE absence")
    finally:
        await conn.close()
    return len(rows) - len(absent)


async def close_all(url: str, schools: list[str], concurrency: int) -> list[int]:
    limit = asyncio.Semaphore(concurrency)
    service = {"Authorization": f"Bearer {TOKEN}"}
    late = {"reason": "Chiusura della giornata nel banco di prova"}
    # The person acting, as the gateway names them: a fresh token on each request (one lives a
    # minute, and on a loaded machine the closes can take longer than that).
    async with httpx.AsyncClient(base_url=url, timeout=120, auth=ForPerson("attendance")) as client:
        # DAY is gone by: the office closes it (a terminal acts on its school's today only).
        async def close(school: str) -> int:
            async with limit:
                response = await client.post(f"/office/schools/{school}/days/{DAY}/close", json=late, headers=service)
                response.raise_for_status()
                return int(response.json()["meals"])

        return await asyncio.gather(*(close(s) for s in schools))


async def all_published(dsn: str, expected: int, timeout: float = 900.0) -> datetime:
    """When the last meal left the outbox. The poll costs the database two index probes (the
    highest row and whether any is pending), not a count of the whole outbox, so as not to slow
    what it measures; the published rows are counted once nothing is pending."""
    conn = await asyncpg.connect(dsn)
    deadline = time.monotonic() + timeout
    poll = "SELECT coalesce(max(id), 0), EXISTS (SELECT FROM outbox WHERE published_at IS NULL) FROM outbox"
    try:
        while time.monotonic() < deadline:
            highest, pending = await conn.fetchrow(poll)
            if highest >= expected and not pending:
                row = await conn.fetchrow(
                    "SELECT count(*) FILTER (WHERE published_at IS NOT NULL) AS done, max(published_at) AS last"
                    " FROM outbox WHERE topic LIKE '%meal-consumed'"
                )
                if row["done"] >= expected:
                    return row["last"]
            await asyncio.sleep(0.2)
        raise TimeoutError(f"not all {expected} meals published")
    finally:
        await conn.close()


async def topic_size(kafka: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(PARTITIONS[Topic.MEAL_CONSUMED])]
        consumer.assign(partitions)
        return sum((await consumer.end_offsets(partitions)).values())
    finally:
        await consumer.stop()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def city_kitchen(url: str) -> tuple[int, float]:
    """The city-wide kitchen count of the day (every school): its total and how long it took."""
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=120, auth=ForPerson("attendance")) as client:
        office = {"Authorization": f"Bearer {TOKEN}"}
        response = await client.get(f"/office/days/{DAY}/kitchen", headers=office)
        response.raise_for_status()
    return int(response.json()["total"]), time.monotonic() - started


async def measure(
    service: processes.ServiceProcess, dsn: str, kafka: str, prefix: str, args: argparse.Namespace
) -> None:
    started = time.monotonic()
    rows = roster_rows(args.schools, args.classes, args.students)
    expected = await seed(dsn, rows, args.absent)
    schools = sorted({str(row[2]) for row in rows})
    print(f"seeded {len(rows)} students in {len(schools)} schools in {time.monotonic() - started:.1f} s")
    print(f"rss before the close: {peak_rss_mb(service.process.pid):.0f} MB")
    forecast, forecast_took = await city_kitchen(service.url)
    print(f"city kitchen forecast: {forecast} meals in {forecast_took:.1f} s")

    conn = await asyncpg.connect(dsn)
    first_close = await conn.fetchval("SELECT clock_timestamp()")
    await conn.close()
    wall = time.monotonic()
    meals = await close_all(service.url, schools, args.concurrency)
    closed_in = time.monotonic() - wall
    last_published = await all_published(dsn, expected)
    published = await topic_size(kafka, f"{prefix}meal-consumed")
    final, final_took = await city_kitchen(service.url)

    print(f"meals expected {expected}, charged by the closes {sum(meals)}, on the topic {published}")
    print(f"all {len(schools)} closes answered in {closed_in:.1f} s")
    print(f"first close -> last meal-consumed published: {(last_published - first_close).total_seconds():.1f} s")
    print(f"city kitchen final count: {final} meals in {final_took:.1f} s")
    print(f"peak RSS of the attendance process: {peak_rss_mb(service.process.pid):.0f} MB")
    if not sum(meals) == published == forecast == final == expected:
        raise SystemExit("the number of meals is wrong")


async def main(args: argparse.Namespace) -> None:
    base_url = os.environ.get("ATTENDANCE_DATABASE_URL", DEFAULT_DATABASE)
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    await create_topics(kafka, prefix)
    async with scratch_database(base_url, "attendance_bench") as url:
        env = {
            "ATTENDANCE_DATABASE_URL": url,
            "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "KAFKA_TOPIC_PREFIX": prefix,
            "ATTENDANCE_SERVICE_TOKEN": TOKEN,
            "ATTENDANCE_LOG_LEVEL": "WARNING",
            "ATTENDANCE_OUTBOX_BATCH_SIZE": str(args.outbox_batch),
        }
        with (
            tempfile.TemporaryDirectory(prefix="attendance-bench-") as logs,
            processes.running(["attendance"], env, Path(logs)) as started,
        ):
            await measure(started["attendance"], plain_dsn(url), kafka, prefix, args)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--classes", type=int, default=7000)
    parser.add_argument("--students", type=int, default=150_000)
    parser.add_argument("--absent", type=float, default=0.08)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--outbox-batch", type=int, default=1000)
    asyncio.run(main(parser.parse_args()))
