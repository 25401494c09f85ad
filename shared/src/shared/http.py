"""HTTP edge helpers: errors as `{code, message}` with Italian messages, service credentials."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shared.errors import RefettorioError


class HttpError(RefettorioError):
    """An error that already knows its HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code)
        self.status = status


def unauthorised() -> HttpError:
    return HttpError(401, "non_autenticato", "Credenziali mancanti o non valide.")


def bearer_token(authorization: Annotated[str | None, Header()] = None) -> str | None:
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
