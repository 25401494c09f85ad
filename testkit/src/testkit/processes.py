"""Starts services as real processes (`python -m <service>`) for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServiceProcess:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL: the process dies as in a crash, its locks and group membership with it."""
        self.process.kill()
        self.process.wait()

    def stop(self, timeout: float = 40.0) -> int:
        """SIGTERM, as an orchestrator would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def launch(
    name: str, env: dict[str, str], log_dir: Path, port: int | None = None, log_name: str | None = None
) -> ServiceProcess:
    port = port or free_port()
    prefix = name.upper()
    full_env = os.environ | env | {f"{prefix}_HTTP_PORT": str(port), f"{prefix}_HTTP_HOST": "127.0.0.1"}
    log = log_dir / f"{log_name or name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", name], env=full_env, stdout=out, stderr=subprocess.STDOUT)
    return ServiceProcess(name, f"http://127.0.0.1:{port}", process, log)


def wait_ready(service: ServiceProcess, timeout: float = 180.0, path: str = "/ready") -> None:
    """Polls until the service answers; on a loaded machine (several test runs sharing two
    cores) importing and migrating alone has taken over 90 s, so the bound is generous."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited with {service.process.returncode}:\n{service.tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{service.url}{path}", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{service.name} not ready within {timeout}s:\n{service.tail()}")


@contextlib.contextmanager
def running(names: list[str], env: dict[str, str], log_dir: Path) -> Iterator[dict[str, ServiceProcess]]:
    """Starts the services together and waits until each answers `/ready`; stops them after.

    Each service is told where the others listen (`<SERVICE>_<OTHER>_URL`), as the gateway needs,
    and where the portal is (`<SERVICE>_PORTAL_URL`, the accounts service) and the terminal's
    screen (`ATTENDANCE_PUBLIC_URL`).
    """
    with replicated(names, 1, env, log_dir) as started:
        yield {name: replicas[0] for name, replicas in started.items()}


@contextlib.contextmanager
def replicated(
    names: list[str], count: int, env: dict[str, str], log_dir: Path, ready_within: float = 180.0
) -> Iterator[dict[str, list[ServiceProcess]]]:
    """`count` processes of each service on ports of their own, sharing the service's database,
        consumer groups and relay lock; the others are told the first replica's URL (where a load
        balancer would stand). Waits until every process answers `/ready` (all of them start at once:
    give a loaded machine time, `ready_within` from the first wait); stops them all after."""
    ports = {name: [free_port() for _ in range(count)] for name in names}
    first = {name: f"http://127.0.0.1:{ports[name][0]}" for name in names}
    urls = {f"{a.upper()}_{b.upper()}_URL": first[b] for a in names for b in names if a != b}
    if "accounts" in ports:  # the portal: where the login comes back to, what emails link to
        urls |= {f"{name.upper()}_PORTAL_URL": first["accounts"] for name in names}
    if "attendance" in ports:  # where the schools' tablets reach the terminal's screen
        urls["ATTENDANCE_PUBLIC_URL"] = first["attendance"]
    started: dict[str, list[ServiceProcess]] = {name: [] for name in names}
    try:
        for name in names:
            for i, port in enumerate(ports[name]):
                started[name].append(launch(name, urls | env, log_dir, port, log_name=_replica(name, i)))
        deadline = time.monotonic() + ready_within
        for service in (s for replicas in started.values() for s in replicas):
            wait_ready(service, max(deadline - time.monotonic(), 1.0))
        yield started
    finally:
        for service in (s for replicas in started.values() for s in replicas):
            service.stop()


def _replica(name: str, index: int) -> str:
    return name if index == 0 else f"{name}-{index + 1}"
