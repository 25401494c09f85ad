"""The services of a fault test as real processes that the test may kill and start again."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

from testkit import processes
from testkit.infra import SERVICES

OFFICE_TOKEN = "faults-office-token"
SERVICE_TOKEN = "faults-service-token"
NODE_SECRET = "faults-node-secret"
MEAL_PRICE_CENTS = 450
_STARTED = time.monotonic()


def note(message: str) -> None:
    """A line of the scenario's timeline (shown with `pytest -s`, or when the test fails)."""
    print(f"[{time.monotonic() - _STARTED:7.1f}s] {message}", flush=True)


def service_env(kafka: str, prefix: str, databases: dict[str, str], **settings: str) -> dict[str, str]:
    """What every process of a fault test is told: the broker, the topics, its database, the
    credentials, and any `<SERVICE>_<SETTING>` given."""
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "KAFKA_TOPIC_PREFIX": prefix,
        "ACCOUNTS_OFFICE_TOKEN": OFFICE_TOKEN,
        "ACCOUNTS_MEAL_PRICE_CENTS": str(MEAL_PRICE_CENTS),
        "PAYMENTS_NODE_SECRET": NODE_SECRET,
    }
    for name in SERVICES:
        env[f"{name.upper()}_SERVICE_TOKEN"] = SERVICE_TOKEN
        env[f"{name.upper()}_ENVIRONMENT"] = "test"
    for name, url in databases.items():
        env[f"{name.upper()}_DATABASE_URL"] = url
    return env | settings


class Service:
    """One service process, started again on the same port after a kill; one log per run."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.env = env
        self.log_dir = log_dir
        self.port = processes.free_port()
        self.runs: list[processes.ServiceProcess] = []

    @property
    def prefix(self) -> str:
        return self.env["KAFKA_TOPIC_PREFIX"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def current(self) -> processes.ServiceProcess:
        return self.runs[-1]

    @property
    def pid(self) -> int:
        return self.current.process.pid

    def alive(self) -> bool:
        return bool(self.runs) and self.current.process.poll() is None

    async def start(self) -> None:
        """Starts a new run and waits until it answers `/ready`."""
        log_dir = self.log_dir / f"{self.name}-{self.port}-run{len(self.runs) + 1}"
        log_dir.mkdir(parents=True)
        self.runs.append(processes.launch(self.name, self.env, log_dir, self.port))
        await asyncio.to_thread(processes.wait_ready, self.current, 300.0)  # a busy machine

    async def kill(self) -> None:
        """SIGKILL: no shutdown, no drain, whatever the process was doing."""
        self.current.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(self.current.process.wait)

    async def stop(self) -> int:
        """SIGTERM, as an orchestrator would; returns the exit code."""
        return await asyncio.to_thread(self.current.stop)

    def assigned(self, topic: str) -> bool:
        """The current run's consumer was given partitions of the topic (its log says so)."""
        lines = self.current.log.read_text(errors="replace").splitlines()
        return any("assigned to partitions" in line and f"'{topic}'" in line for line in lines)


@contextlib.asynccontextmanager
async def serving(*services: Service) -> AsyncIterator[None]:
    """Starts the services together; at the end stops (SIGTERM) those still running."""
    try:
        await asyncio.gather(*(service.start() for service in services))
        yield
    finally:
        await stop_all(*services)


async def stop_all(*services: Service) -> None:
    await asyncio.gather(*(service.stop() for service in services if service.alive()))
