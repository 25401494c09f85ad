"""Every refusal is `{code, message}`, and the OpenAPI says so."""

import httpx
from fastapi import FastAPI

from shared.http import install_error_handlers


def small_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app, {})

    @app.get("/days/{day}")
    async def day(day: int) -> dict[str, int]:
        return {"day": day}

    return app


async def test_starlette_and_fastapi_refusals_have_a_code_and_an_italian_message() -> None:
    transport = httpx.ASGITransport(app=small_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        missing, method, invalid = await http.get("/nowhere"), await http.delete("/days/1"), await http.get("/days/x")
    assert (missing.status_code, missing.json()["code"]) == (404, "risorsa_non_trovata")
    assert (method.status_code, method.json()["code"], method.headers["allow"]) == (405, "metodo_non_ammesso", "GET")
    assert missing.json()["message"] == "L'indirizzo richiesto non esiste."
    assert (invalid.status_code, invalid.json()["code"]) == (422, "richiesta_non_valida")
    assert invalid.json()["details"] == [{"field": "day", "problem": invalid.json()["details"][0]["problem"]}]


def test_the_openapi_describes_the_422_that_is_sent() -> None:
    app = small_app()
    schemas = app.openapi()["components"]["schemas"]
    assert schemas["HTTPValidationError"]["required"] == ["code", "message"]
    assert schemas["ValidationError"]["required"] == ["field", "problem"]
    assert app.openapi() is app.openapi()  # built once
