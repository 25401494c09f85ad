"""The gateway's HTTP client against a real HTTP server: one pool per process, the service
credential on every call, another service's 4xx passed on, its 5xx or absence a 503."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from accounts.adapters.http_services import ServiceClient
from shared.http import HttpError
from testkit.kafka import eventually
from testkit.processes import free_port


def other_service() -> FastAPI:
    app = FastAPI()

    @app.get("/who")
    async def who(request: Request) -> dict[str, object]:
        client = request.client
        return {"authorization": request.headers.get("authorization"), "port": client.port if client else None}

    @app.get("/missing")
    async def missing() -> JSONResponse:
        return JSONResponse({"code": "alunno_non_trovato", "message": "Alunno non trovato."}, status_code=404)

    @app.get("/refused")
    async def refused() -> PlainTextResponse:
        return PlainTextResponse("no", status_code=409)

    @app.get("/broken")
    async def broken() -> PlainTextResponse:
        return PlainTextResponse("boom", status_code=500)

    return app


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off"))
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started or task.done())
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_every_call_carries_the_credential_over_one_pool() -> None:
    client = ServiceClient("the-service-token")
    async with serving(other_service()) as url, client.open():
        first = (await client.call("GET", f"{url}/who")).json()
        second = (await client.call("GET", f"{url}/who")).json()
    assert first["authorization"] == second["authorization"] == "Bearer the-service-token"
    assert first["port"] == second["port"]  # the same kept-alive connection


async def test_a_4xx_is_passed_on_and_a_5xx_or_no_answer_is_a_503() -> None:
    client = ServiceClient("t", timeout=2.0)
    async with serving(other_service()) as url, client.open():
        errors = []
        for path in ("/missing", "/refused", "/broken"):
            with pytest.raises(HttpError) as raised:
                await client.call("GET", f"{url}{path}")
            errors.append((raised.value.status, raised.value.code))
        with pytest.raises(HttpError) as unreachable:
            await client.call("GET", f"http://127.0.0.1:{free_port()}/who")
    assert errors == [(404, "alunno_non_trovato"), (409, "richiesta_non_valida"), (503, "servizio_non_disponibile")]
    assert (unreachable.value.status, unreachable.value.code) == (503, "servizio_non_disponibile")


async def test_the_client_lives_only_with_the_app() -> None:
    client = ServiceClient("t")
    async with client.open():
        pass
    with pytest.raises(RuntimeError):
        await client.call("GET", "http://127.0.0.1:1/who")
