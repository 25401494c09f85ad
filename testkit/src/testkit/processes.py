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


def launch(name: str, env: dict[str, str], log_dir: Path, port: int | None = None) -> ServiceProcess:
    port = port or free_port()
    prefix = name.upper()
    full_env = os.environ | env | {f"{prefix}_HTTP_PORT": str(port), f"{prefix}_HTTP_HOST": "127.0.0.1"}
    log = log_dir / f"{name}.log"
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
    and where the portal is (`<SERVICE>_PORTAL_URL`, the accounts service).
    """
    ports = {name: free_port() for name in names}
    urls = {f"{a.upper()}_{b.upper()}_URL": f"http://127.0.0.1:{ports[b]}" for a in names for b in names if a != b}
    if "accounts" in ports:  # the portal: where the login comes back to, what emails link to
        urls |= {f"{name.upper()}_PORTAL_URL": f"http://127.0.0.1:{ports['accounts']}" for name in names}
    started: dict[str, ServiceProcess] = {}
    try:
        for name in names:
            started[name] = launch(name, urls | env, log_dir, ports[name])
        for service in started.values():
            wait_ready(service)
        yield started
    finally:
        for service in started.values():
            service.stop()
