"""Runs a service app in-process, through its real lifespan (migrations, broker, relay)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI


@contextlib.asynccontextmanager
async def running(
    app: FastAPI, token: str | None = None, auth: httpx.Auth | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """`auth` adds to every request what the client should always send besides `token` (such as
    the person the gateway acts for: `testkit.acting.ForPerson`)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with LifespanManager(app, startup_timeout=90, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers, auth=auth) as client:
            yield client
