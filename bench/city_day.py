"""A city's day end to end: every school closed -> every meal booked in the ledger.

200 schools, 7,000 classes, 150,000 pupils in about 91,000 families (one to three children
each), 8% absent. Both databases are seeded straight (COPY): accounts with the families, their
children and enrolments; attendance with the roster and the absences. Then `python -m accounts`
and `python -m attendance` run as real processes on one topic prefix of the real Kafka, and every
school's day is closed through attendance's HTTP API (8 at a time). Prints first close -> all
closes answered, -> last `meal-consumed` published, -> last meal booked (the moment the ledger
holds every meal, polled every 0.1 s), each process's peak RSS, and the ledger check
(`python -m accounts.check_ledger`, and every meal booked exactly once).

    source deploy/local/test.env && .venv/bin/python bench/city_day.py [--students 150000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import asyncpg
from attendance_close_day import all_published, close_all
from attendance_close_day import seed as seed_attendance
from harness import Figure, consumer_batches, cpu_seconds, emit, peak_rss_mb, profiling

from shared.db import plain_dsn
from shared.messaging.kafka import create_topics
from testkit import processes
from testkit.databases import scratch_database

TOKEN = "bench-service-token"
YEAR = "2026/2027"
Row = tuple[object, ...]


def city(schools: int, classes: int, students: int) -> list[Row]:
    """Roster rows (student, account, school, class, diet, year, active); families of 1-3."""
    rng = random.Random(42)
    accounts: list[uuid.UUID] = []
    while len(accounts) < students:
        accounts += [uuid.uuid4()] * rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
    rng.shuffle(accounts)
    per_school = classes // schools
    rows: list[Row] = []
    for n in range(students):
        klass = n % classes
        school = f"bench-school-{klass // per_school % schools:03d}"
        diet = "senza_glutine" if rng.random() < 0.05 else "standard"
        rows.append((uuid.uuid4(), accounts[n], school, f"class-{klass:04d}", diet, YEAR, True))
    return rows


async def seed_accounts(dsn: str, rows: list[Row]) -> int:
    families = list(dict.fromkeys(row[1] for row in rows))
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "account",
            columns=["id", "holder_tax_code", "holder_first_name", "holder_last_name"],
            records=[(a, f"H{n:015d}", "Bench", "Family") for n, a in enumerate(families)],
        )
        await conn.copy_records_to_table(
            "student",
            columns=["id", "account_id", "tax_code", "first_name", "last_name"],
            records=[(r[0], r[1], f"S{n:015d}", "Bench", "Child") for n, r in enumerate(rows)],
        )
        await conn.copy_records_to_table(
            "enrolment",
            columns=["student_id", "school_year", "school_id", "class_id", "diet", "active"],
            records=[(r[0], YEAR, r[2], r[3], r[4], True) for r in rows],
        )
        await conn.execute("ANALYZE account; ANALYZE student; ANALYZE enrolment")
    finally:
        await conn.close()
    return len(families)


async def all_booked(dsn: str, expected: int, timeout: float = 900.0) -> tuple[datetime, int, int]:
    """When the ledger first held every meal (by the database's clock): that moment, the meal
    entries, and the distinct meals among them. The poll is one index probe (the highest entry
    number; the scratch ledger holds only this run's meals), so that it costs the database
    nothing while it books; the entries are counted once it is high enough."""
    conn = await asyncpg.connect(dsn)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            at, highest = await conn.fetchrow("SELECT clock_timestamp(), coalesce(max(seq), 0) FROM ledger_entry")
            if highest >= expected:
                booked, distinct = await conn.fetchrow(
                    "SELECT count(*), count(DISTINCT source_id) FROM ledger_entry WHERE source = 'meal'"
                )
                if booked >= expected:
                    return at, booked, distinct
            await asyncio.sleep(0.05)
        raise TimeoutError(f"not all {expected} meals booked")
    finally:
        await conn.close()


def check_ledger(accounts_url: str) -> str:
    env = os.environ | {"ACCOUNTS_DATABASE_URL": accounts_url}
    done = subprocess.run([sys.executable, "-m", "accounts.check_ledger"], env=env, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-300:]


async def measure(started: dict[str, processes.ServiceProcess], urls: dict[str, str], args: argparse.Namespace):
    rows = city(args.schools, args.classes, args.students)
    families = await seed_accounts(plain_dsn(urls["accounts"]), rows)
    expected = await seed_attendance(plain_dsn(urls["attendance"]), rows, args.absent)
    schools = sorted({str(row[2]) for row in rows})
    print(f"seeded {len(rows)} pupils of {families} families in {len(schools)} schools; {expected} meals expected")
    attendance = plain_dsn(urls["attendance"])
    conn = await asyncpg.connect(attendance)
    pids = {name: s.process.pid for name, s in started.items()}
    cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
    with profiling(pids):
        first_close = await conn.fetchval("SELECT clock_timestamp()")
        meals = await close_all(started["attendance"].url, schools, args.concurrency)
        closes_answered = await conn.fetchval("SELECT clock_timestamp()")
        await conn.close()
        last_published = await all_published(attendance, expected)
        last_booked, booked, distinct = await all_booked(plain_dsn(urls["accounts"]), expected)
    per_meal = {name: 1000 * (cpu_seconds(pid) - cpu[name]) / expected for name, pid in pids.items()}
    print("CPU per meal: " + ", ".join(f"{name} {ms:.2f} ms" for name, ms in per_meal.items()))
    print(consumer_batches(started["accounts"].url, "accounts.charge-for-meal"))
    seconds = {
        "closes answered": (closes_answered - first_close).total_seconds(),
        "last meal published": (last_published - first_close).total_seconds(),
        "last meal booked": (last_booked - first_close).total_seconds(),
    }
    for what, s in seconds.items():
        print(f"first close -> {what}: {s:.1f} s")
    rss = {name: peak_rss_mb(s.process.pid) for name, s in started.items()}
    print(f"meals: {sum(meals)} charged by the closes, {booked} booked ({distinct} distinct) of {expected}")
    print("peak RSS: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items()))
    return seconds, rss, booked == distinct == sum(meals) == expected


async def main(args: argparse.Namespace) -> None:
    base = {name: os.environ[f"{name.upper()}_DATABASE_URL"] for name in ("accounts", "attendance")}
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    await create_topics(kafka, prefix)
    async with (
        scratch_database(base["accounts"], "accounts_city") as accounts,
        scratch_database(base["attendance"], "attendance_city") as attendance,
    ):
        urls = {"accounts": accounts, "attendance": attendance}
        env = {"KAFKA_TOPIC_PREFIX": prefix, "ACCOUNTS_DATABASE_URL": accounts, "ATTENDANCE_DATABASE_URL": attendance}
        for name in urls:
            env |= {f"{name.upper()}_SERVICE_TOKEN": TOKEN, f"{name.upper()}_LOG_LEVEL": "WARNING"}
        with tempfile.TemporaryDirectory() as logs, processes.running(list(urls), env, Path(logs)) as started:
            seconds, rss, once = await measure(started, urls, args)
        ledger = check_ledger(accounts)
    print(f"ledger check: {ledger}; every meal booked once: {once}")
    emit([
        Figure("city day: first close -> last meal published", seconds["last meal published"], "s", ("value", "<", 15)),
        Figure("city day: first close -> last meal booked", seconds["last meal booked"], "s", ("value", "<", 15)),
        *(Figure(f"city day: peak RSS {name}", mb, "MB", ("value", "<", 500)) for name, mb in rss.items()),
        Figure("city day: ledger unbalanced accounts", float(ledger.split()[-2]) if "unbalanced" in ledger else -1,
               "accounts", ("value", "<", 1)),
        Figure("city day: meals not booked exactly once", 0.0 if once else 1.0, "", ("value", "<", 1)),
    ])  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--classes", type=int, default=7000)
    parser.add_argument("--students", type=int, default=150_000)
    parser.add_argument("--absent", type=float, default=0.08)
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(main(parser.parse_args()))
