"""Runs service apps in-process, through their real lifespans (migrations, broker, relay): behind
an ASGI client (`running`), or over real HTTP on loopback (`serving`): uvicorn, all of them on one
event loop in a thread of their own, so that synchronous callers (schemathesis) and the services
calling each other meet on loopback. They start one after the other: Alembic's migration context
is global to the process."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import uvicorn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from testkit.processes import free_port


@contextlib.asynccontextmanager
async def running(app: FastAPI, token: str | None = None) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with LifespanManager(app, startup_timeout=90, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as client:
            yield client


class _Server(uvicorn.Server):
    """A uvicorn server that says when it listens (its lifespan has started by then)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.up = asyncio.Event()

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        self.up.set()


@contextlib.contextmanager
def serving(apps: dict[str, FastAPI], ports: dict[str, int], timeout: float = 120.0) -> Iterator[dict[str, str]]:
    """Starts every app on `127.0.0.1:<its port>`; yields their base URLs once all answer `/ready`."""
    servers = [
        _Server(uvicorn.Config(app, host="127.0.0.1", port=ports[name], log_config=None, access_log=False))
        for name, app in apps.items()
    ]
    started = threading.Event()
    thread = threading.Thread(target=asyncio.run, args=(_serve(servers, started),), name="testkit-servers")
    thread.start()
    try:
        if not started.wait(timeout) or not all(s.up.is_set() for s in servers):
            raise RuntimeError("a service did not start (its error is in the log above)")
        urls = {name: f"http://127.0.0.1:{ports[name]}" for name in apps}
        _wait_ready(urls, timeout)
        yield urls
    finally:
        for server in servers:
            server.should_exit = True
        thread.join(timeout=60)


def ports_for(names: list[str]) -> dict[str, int]:
    return {name: free_port() for name in names}


async def _serve(servers: list[_Server], started: threading.Event) -> None:
    tasks: list[asyncio.Task[None]] = []
    try:
        for server in servers:
            tasks.append(asyncio.create_task(server.serve()))
            up = asyncio.create_task(server.up.wait())
            await asyncio.wait({tasks[-1], up}, return_when=asyncio.FIRST_COMPLETED)
            if not server.up.is_set():
                up.cancel()
                for other in servers:
                    other.should_exit = True
                break
    finally:
        started.set()
    await asyncio.gather(*tasks, return_exceptions=True)


def _wait_ready(urls: dict[str, str], timeout: float) -> None:
    """Ready: the database answers and the consumers have joined their groups."""
    deadline = time.monotonic() + timeout
    for name, url in urls.items():
        while not _ready(url):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not ready within {timeout}s")
            time.sleep(0.2)


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/ready", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
