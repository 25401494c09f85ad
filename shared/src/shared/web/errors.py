"""Errors on pages: an Italian page with the right status, or the login page when a session is
needed. JSON callers keep getting `{code, message}`."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from shared.errors import RefettorioError

TITLES = {
    400: "Richiesta non valida",
    403: "Accesso negato",
    404: "Pagina non trovata",
    405: "Operazione non consentita",
    409: "Operazione non possibile",
    422: "Dati non validi",
    429: "Troppe richieste",
    503: "Servizio momentaneamente non disponibile",
    500: "Si è verificato un errore",
}
MESSAGES = {
    404: "La pagina che cerchi non esiste o non è più disponibile.",
    405: "Questa operazione non è consentita su questa pagina.",
    422: "L'indirizzo o i dati inviati non sono validi.",
    500: "Non è stato possibile completare l'operazione. Riprova più tardi; se continua, contatta l'Ufficio Scuola.",
}


class LoginRequired(RefettorioError):
    """A page needs a session the browser does not have (or no longer has)."""

    code = "accesso_richiesto"

    def __init__(self) -> None:
        super().__init__("Per continuare accedi con SPID o CIE.")


def error_page(request: Request, status: int, message: str | None = None) -> Response:
    templates = request.app.state.templates
    context = {"status": status, "title": TITLES.get(status, TITLES[400]), "message": message or MESSAGES.get(status)}
    return templates.TemplateResponse(request, "errore.html", context, status_code=status)


def status_of(request: Request, error: RefettorioError) -> int:
    mapping: dict[type[RefettorioError], int] = getattr(request.app.state, "error_status", {})
    found = getattr(error, "status", None) or next((s for kind, s in mapping.items() if isinstance(error, kind)), 400)
    return int(found)


class PageRoute(APIRoute):
    """A route that answers HTML: domain errors become Italian error pages, a missing session a
    redirect to the login page, a malformed path or query a 422 page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handle(request)
            except LoginRequired:
                return _to_login(request)
            except RefettorioError as error:
                return error_page(request, status_of(request, error), error.message)
            except RequestValidationError:
                return error_page(request, 422)

        return page


def _to_login(request: Request) -> Response:
    """To the login page; an htmx request (a fragment refreshing itself) moves the whole page."""
    login = request.app.state.site.login_path
    if request.headers.get("HX-Request") == "true":
        return Response(headers={"HX-Redirect": login})
    return RedirectResponse(login, status_code=303)


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def install_error_pages(app: FastAPI) -> None:
    """Unknown addresses and unexpected failures: a page for a browser, `{code, message}` for the rest."""

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if wants_html(request):
            return error_page(request, error.status_code)
        message = MESSAGES.get(error.status_code, TITLES.get(error.status_code, "Richiesta non valida."))
        return JSONResponse(
            {"code": f"http_{error.status_code}", "message": message},
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )

    async def unexpected(request: Request, error: Exception) -> Response:
        if wants_html(request):
            return error_page(request, 500)
        return JSONResponse({"code": "errore_interno", "message": MESSAGES[500]}, status_code=500)

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
