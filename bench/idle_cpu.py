"""CPU of each service process when nothing happens, in percent of one core.

Starts the four services as real processes (default settings and log level, scratch databases,
topics of their own, the bare reference app of `gateway_reads.py` beside them), lets them settle,
then reads each process's CPU time (`/proc/<pid>/stat`) over a quiet interval: no request, no
event. The bare app is the reference: an idle uvicorn with an asyncpg pool.

    source deploy/local/test.env && .venv/bin/python bench/idle_cpu.py [--settle 10] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import uuid
from pathlib import Path

from gateway_reads import bare_app
from harness import Figure, emit, idle_cpu_percent, profiling

from shared.messaging.kafka import create_topics
from testkit import processes
from testkit.databases import scratch_database

SERVICES = ("accounts", "attendance", "payments", "notifications")


async def main(args: argparse.Namespace) -> None:
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    await create_topics(os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"), prefix)
    async with contextlib.AsyncExitStack() as stack:
        env = {"KAFKA_TOPIC_PREFIX": prefix}
        for name in SERVICES:
            variable = f"{name.upper()}_DATABASE_URL"
            env[variable] = await stack.enter_async_context(scratch_database(os.environ[variable], f"{name}_idle"))
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        started = stack.enter_context(processes.running(list(SERVICES), env, logs))
        bare = stack.enter_context(bare_app(env["ACCOUNTS_DATABASE_URL"], logs))
        pids = {name: s.process.pid for name, s in started.items()} | {"bare": bare.process.pid}
        await asyncio.sleep(args.settle)
        with profiling(pids):
            percent = await asyncio.to_thread(idle_cpu_percent, pids, args.seconds)
    reference = percent.pop("bare")
    emit([
        Figure(f"idle CPU {name}", value, "% of a core", ("value", "<", 1), reference, "bare app idle")
        for name, value in percent.items()
    ])  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    asyncio.run(main(parser.parse_args()))
