"""The gateway's reads against a bare FastAPI + asyncpg endpoint, measured in the same run.

Starts `python -m accounts` (default log level, as deployed) on a scratch database and topics of
its own, and the OIDC provider process of the tests (the SPID/CIE stand-in); registers one family
with 60 movements through the HTTP API, logs its holder in with SPID through the provider, then
starts `bench/bare_app.py` on the same database and loads both with the same `wrk` (one thread,
32 connections, 10 s, after a 2 s warm-up): `GET /me` with the parent's session, `GET
/accounts/{id}` with the office's token, `GET /accounts/{id}/movements` with the parent's
session; the bare app reads the same account row and movements.

    source deploy/local/test.env && .venv/bin/python bench/gateway_reads.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from harness import Figure, Load, cpu_seconds, emit, profiling, wrk

from shared.db import plain_dsn
from shared.messaging.kafka import create_topics
from testkit import oidc, processes
from testkit.data import tax_code
from testkit.databases import scratch_database
from testkit.oidc import ProviderProcess, log_in, spid_claims

OFFICE = "bench-office-token"
SESSION_COOKIE = "refettorio_sessione"


async def family(url: str, provider: ProviderProcess) -> tuple[str, str]:
    """A family with one child and 60 movements, its holder logged in with SPID: the account id
    and the session token."""
    office = {"Authorization": f"Bearer {OFFICE}"}
    holder = tax_code()
    async with httpx.AsyncClient(base_url=url, headers=office, timeout=30) as http:
        child = {"tax_code": tax_code(year=2018), "first_name": "Ada", "last_name": "Bianchi"}
        child |= {"school_year": "2026/2027", "school_id": "bench", "class_id": "1A"}
        body = {"holder_tax_code": holder, "holder_first_name": "Ada", "holder_last_name": "Bianchi"}
        created = await http.post("/office/families", json=body | {"students": [child]})
        account = created.raise_for_status().json()["account_id"]
        for n in range(60):
            booking = {"amount_cents": 100 + n, "reason": "Rettifica di prova"}
            (await http.post(f"/office/accounts/{account}/adjustments", json=booking)).raise_for_status()
    provider.add("bench-holder", spid_claims(holder, "Ada", "Bianchi"))
    async with httpx.AsyncClient(base_url=url, timeout=30) as browser:
        await log_in(browser, "bench-holder")
        return account, str(browser.cookies[SESSION_COOKIE])


@contextmanager
def bare_app(database_url: str, logs: Path) -> Iterator[processes.ServiceProcess]:
    port = processes.free_port()
    env = os.environ | {"BARE_DATABASE_URL": plain_dsn(database_url)}
    script = Path(__file__).with_name("bare_app.py")
    with (logs / "bare.log").open("wb") as out:
        process = subprocess.Popen([sys.executable, str(script), str(port)], env=env, stdout=out, stderr=out)
    bare = processes.ServiceProcess("bare", f"http://127.0.0.1:{port}", process, logs / "bare.log")
    try:
        processes.wait_ready(bare)
        yield bare
    finally:
        bare.stop()


@dataclass(frozen=True)
class Served:
    load: Load
    cpu_ms: float  # the server's CPU per request: what the machine's load does not change


def load(url: str, headers: dict[str, str], seconds: int, pid: int) -> Served:
    wrk(url, headers, seconds=2)  # warm-up: connections, caches, the pool
    before = cpu_seconds(pid)
    measured = wrk(url, headers, seconds=seconds)
    cpu = cpu_seconds(pid) - before
    if measured.errors:
        print(f"  {url}: {measured.errors} errors or timeouts (10 s) under load")
    return Served(measured, 1000 * cpu / max(measured.requests_per_second * seconds, 1))


def figures(name: str, gateway: Served, bare: Served) -> list[Figure]:
    ours, ref = gateway.load, bare.load
    return [
        Figure(f"gateway {name} req/s", ours.requests_per_second, "req/s", ("ratio", ">=", 0.7),
               ref.requests_per_second, "bare FastAPI+asyncpg"),
        Figure(f"gateway {name} p99", ours.p99_ms, "ms", ("value", "<", 50), ref.p99_ms, "bare p99"),
        Figure(f"gateway {name} CPU per request", gateway.cpu_ms, "ms", ("ratio", "<", 1.43),
               bare.cpu_ms, "bare CPU per request"),
    ]  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    await create_topics(kafka, prefix)
    async with scratch_database(os.environ["ACCOUNTS_DATABASE_URL"], "accounts_bench") as database:
        env = {"ACCOUNTS_DATABASE_URL": database, "KAFKA_TOPIC_PREFIX": prefix, "ACCOUNTS_OFFICE_TOKEN": OFFICE}
        with (
            tempfile.TemporaryDirectory() as logs,
            oidc.serving(Path(logs) / "oidc.log") as provider,
            processes.running(["accounts"], env | {"ACCOUNTS_OIDC_ISSUER": provider.url}, Path(logs)) as started,
        ):
            gateway = started["accounts"].url
            account, token = await family(gateway, provider)
            parent, office = {"Authorization": f"Bearer {token}"}, {"Authorization": f"Bearer {OFFICE}"}
            reads = {
                "GET /me": (f"{gateway}/me", parent, f"/accounts/{account}"),
                "GET /accounts/{id}": (f"{gateway}/accounts/{account}", office, f"/accounts/{account}"),
                "GET movements": (f"{gateway}/accounts/{account}/movements", parent, f"/accounts/{account}/movements"),
            }
            found: list[Figure] = []
            with bare_app(database, Path(logs)) as bare, profiling({"accounts": started["accounts"].process.pid}):
                ours = started["accounts"].process.pid
                for name, (url, headers, bare_path) in reads.items():
                    reference = load(f"{bare.url}{bare_path}", {}, args.seconds, bare.process.pid)
                    found += figures(name, load(url, headers, args.seconds, ours), reference)
    emit(found)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    asyncio.run(main(parser.parse_args()))
