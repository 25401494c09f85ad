"""From the node's paSendRTV2 request to the credit visible at the accounts gateway.

Starts `python -m accounts` and `python -m payments` as real processes on the real Kafka and
PostgreSQL (topics and scratch databases unique to the run), registers one family, creates N notices, and for each one
sends the node's receipt over SOAP HTTP (the node simulator in tests/), then polls
`GET /accounts/{id}` until the balance shows it. Receipts go one after another, so each latency
is end to end on an otherwise idle system: payments' commit + outbox relay + Kafka + the accounts
consumer's commit + the gateway's read. Prints p50/p90/p99/max.

The reference, measured in the same run between the receipts: two durable commits one after the
other on the same server (the least a receipt waits for: payments' and the ledger's commit, each
flushed to the disk). Its p99 is the machine's disk, not our code: a virtual disk's flush can
stall for hundreds of milliseconds now and then, and each receipt waits for two of them.

    source deploy/local/test.env
    .venv/bin/python bench/payments_receipt_latency.py [--receipts 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from harness import Figure, emit

from shared.db import plain_dsn
from shared.messaging.kafka import create_topics
from testkit.data import tax_code
from testkit.databases import scratch_database
from testkit.processes import launch, wait_ready

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pagopa_node_simulator import NodeSimulator, ReceiptData

SERVICE, OFFICE, NODE = "bench-service-token", "bench-office-token", "bench-node-secret"


async def run(receipts: int) -> None:
    prefix = f"b{uuid.uuid4().hex[:8]}."
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    await create_topics(bootstrap, prefix)
    env = {
        "KAFKA_TOPIC_PREFIX": prefix,
        "ACCOUNTS_OFFICE_TOKEN": OFFICE,
        "ACCOUNTS_SERVICE_TOKEN": SERVICE,
        "PAYMENTS_SERVICE_TOKEN": SERVICE,
        "PAYMENTS_NODE_SECRET": NODE,
        "ACCOUNTS_LOG_LEVEL": "WARNING",
        "PAYMENTS_LOG_LEVEL": "WARNING",
    }
    logs = Path(tempfile.mkdtemp(prefix="bench-receipts-"))
    async with (
        scratch_database(os.environ["ACCOUNTS_DATABASE_URL"], "accounts_receipts") as accounts_db,
        scratch_database(os.environ["PAYMENTS_DATABASE_URL"], "payments_receipts") as payments_db,
    ):
        env |= {"ACCOUNTS_DATABASE_URL": accounts_db, "PAYMENTS_DATABASE_URL": payments_db}
        services = [launch(name, env, logs) for name in ("accounts", "payments")]
        try:
            for service in services:
                wait_ready(service)
            accounts, payments = (s.url for s in services)
            latencies, floor = await measure(accounts, payments, receipts, plain_dsn(payments_db))
        finally:
            for service in services:
                service.stop()
    ms = sorted(1000 * x for x in latencies)
    q = statistics.quantiles(ms, n=100)
    print(f"{len(ms)} receipts, node request -> credit visible at the gateway (ms):")
    print(f"  p50 {q[49]:.1f}  p90 {q[89]:.1f}  p99 {q[98]:.1f}  max {ms[-1]:.1f}  mean {statistics.mean(ms):.1f}")
    floor_ms = sorted(1000 * x for x in floor)
    f = statistics.quantiles(floor_ms, n=100)
    print(f"two durable commits in a row, same run (ms): p50 {f[49]:.1f}  p99 {f[98]:.1f}  max {floor_ms[-1]:.1f}")
    emit([
        Figure("receipt -> credit visible p50", q[49], "ms", ("value", "<", 150), f[49], "two durable commits"),
        Figure("receipt -> credit visible p99", q[98], "ms", ("value", "<", 150), f[98], "two durable commits"),
    ])  # fmt: skip


async def measure(accounts: str, payments: str, receipts: int, dsn: str) -> tuple[list[float], list[float]]:
    """Each receipt's latency, and after each one a sample of the reference (`two_commits`)."""
    holder = tax_code()
    async with httpx.AsyncClient(timeout=15) as http:
        child = {"tax_code": tax_code(year=2018), "first_name": "Ada", "last_name": "Bianchi"}
        child |= {"school_year": "2026/2027", "school_id": "bench", "class_id": "1A"}
        family = await http.post(
            f"{accounts}/office/families",
            headers={"Authorization": f"Bearer {OFFICE}"},
            json={
                "holder_tax_code": holder,
                "holder_first_name": "Ada",
                "holder_last_name": "Bianchi",
                "students": [child],
            },
        )
        account = family.json()["account_id"]
        notices = []
        for _ in range(receipts):
            body = {"account_id": account, "amount_cents": 100, "debtor_tax_code": holder, "debtor_name": "Ada Bianchi"}
            response = await http.post(
                f"{payments}/internal/notices", headers={"Authorization": f"Bearer {SERVICE}"}, json=body
            )
            notices.append(response.json())
        node = NodeSimulator(payments, NODE, http=http)
        latencies, floor = [], []
        database = await asyncpg.connect(dsn)
        await database.execute("CREATE TABLE bench_commit (n bigint)")
        for n, notice in enumerate(notices, start=1):
            rt = ReceiptData(notice["notice_number"], notice["iuv"], 100)
            started = time.perf_counter()
            answer = await node.send_receipt(rt)
            assert answer.outcome == "OK", answer.raw
            await until_balance(http, accounts, account, 100 * n)
            latencies.append(time.perf_counter() - started)
            floor.append(await two_commits(database))
        await database.close()
        return latencies, floor


async def two_commits(database: asyncpg.Connection) -> float:
    """Seconds for two one-row transactions, each committed durably (the server's default)."""
    started = time.perf_counter()
    for _ in range(2):
        async with database.transaction():
            await database.execute("INSERT INTO bench_commit VALUES (1)")
    return time.perf_counter() - started


async def until_balance(http: httpx.AsyncClient, accounts: str, account: str, cents: int) -> None:
    for _ in range(20_000):  # about 40 s at most
        view = await http.get(f"{accounts}/accounts/{account}", headers={"Authorization": f"Bearer {OFFICE}"})
        if int(view.json()["balance"]["cents"]) == cents:
            return
        await asyncio.sleep(0.002)
    raise TimeoutError(f"balance never reached {cents}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--receipts", type=int, default=300)
    asyncio.run(run(parser.parse_args().receipts))
