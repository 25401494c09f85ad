"""HTTP edge helpers: errors as `{code, message}` with Italian messages (the app's own, FastAPI's
validation and Starlette's "not found" alike, and so documented in the OpenAPI), service credentials."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from shared.errors import RefettorioError


class HttpError(RefettorioError):
    """An error that already knows its HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code)
        self.status = status


def unauthorised() -> HttpError:
    return HttpError(401, "non_autenticato", "Credenziali mancanti o non valide.")


async def bearer_token(authorization: Annotated[str | None, Header()] = None) -> str | None:
    """A dependency, so `async` (see `shared.dependencies`)."""
    return token_of(authorization)


def token_of(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer ...` header."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def same_secret(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; nothing equals an empty or missing secret, not even another."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given).encode(), str(expected).encode())


def install_error_handlers(app: FastAPI, status_of: dict[type[RefettorioError], int]) -> None:
    """Domain errors become 4xx with a code and an Italian message; validation errors 422."""

    async def domain_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RefettorioError)
        status = getattr(error, "status", None) or next(
            (code for kind, code in status_of.items() if isinstance(error, kind)), 400
        )
        return JSONResponse({"code": error.code, "message": error.message}, status_code=status)

    async def invalid_request(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        details = [{"field": ".".join(str(p) for p in e["loc"][1:]), "problem": e["msg"]} for e in error.errors()]
        return JSONResponse(
            {"code": "richiesta_non_valida", "message": "La richiesta contiene dati non validi.", "details": details},
            status_code=422,
        )

    app.add_exception_handler(RefettorioError, domain_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    _document_invalid_request(app)


# What Starlette and FastAPI raise themselves: no such route, a method the route has not, a body
# that cannot be parsed.
_HTTP_ANSWERS = {
    400: ("richiesta_non_leggibile", "La richiesta non è leggibile: controlla il formato dei dati inviati."),
    401: ("non_autenticato", "Credenziali mancanti o non valide."),
    403: ("accesso_negato", "Operazione non consentita."),
    404: ("risorsa_non_trovata", "L'indirizzo richiesto non esiste."),
    405: ("metodo_non_ammesso", "Operazione non ammessa su questo indirizzo."),
    413: ("richiesta_troppo_grande", "La richiesta è troppo grande."),
    415: ("formato_non_supportato", "Il formato dei dati inviati non è supportato."),
}


async def http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code, message = _HTTP_ANSWERS.get(error.status_code, ("richiesta_non_valida", "Richiesta non valida."))
    return JSONResponse({"code": code, "message": message}, status_code=error.status_code, headers=error.headers)


_INVALID_REQUEST: dict[str, Any] = {
    "title": "InvalidRequest",
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "examples": ["richiesta_non_valida"]},
        "message": {"type": "string", "description": "For people, in Italian"},
        "details": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
    },
}
_PROBLEM: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["field", "problem"],
    "properties": {"field": {"type": "string"}, "problem": {"type": "string"}},
}


def _document_invalid_request(app: FastAPI) -> None:
    """The OpenAPI's 422 as the handler above writes it, not FastAPI's default `{detail}`."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()  # cached by FastAPI in `app.openapi_schema`, changed here in place
        schemas = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            schemas["HTTPValidationError"], schemas["ValidationError"] = _INVALID_REQUEST, _PROBLEM
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
