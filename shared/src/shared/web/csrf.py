"""CSRF protection for cookie sessions: a synchroniser token derived from the session itself.

Every page that holds a form gets `csrf_token`, an HMAC of the browser's session cookie (which
is HttpOnly and random, so a third-party page can neither read it nor compute the token). A
state-changing request with the cookie must send the token back, as the form field `csrf_token`
or, from htmx, the header `X-CSRF-Token`; otherwise it gets 403. Nothing is stored: the token
lives and dies with the session, and works without JavaScript.

Requests authenticated with `Authorization: Bearer` carry no ambient credential and do not need
it; the page routes, which authenticate by cookie, all depend on `require_csrf`.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from shared.http import HttpError

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token_for(session_value: str) -> str:
    return hmac.new(session_value.encode(), b"refettorio-csrf-v1", hashlib.sha256).hexdigest()


def refused() -> HttpError:
    return HttpError(
        403, "csrf_non_valido", "La richiesta non proviene da una pagina del portale: ricarica la pagina e riprova."
    )


class CsrfProtection:
    """A FastAPI dependency bound to the name of the cookie that holds the session."""

    def __init__(self, cookie_name: str) -> None:
        self.cookie_name = cookie_name

    def token(self, request: Request) -> str:
        session = request.cookies.get(self.cookie_name)
        return token_for(session) if session else ""

    async def __call__(self, request: Request) -> None:
        if request.method in SAFE_METHODS:
            return
        session = request.cookies.get(self.cookie_name)
        sent = request.headers.get(HEADER) or await _form_token(request)
        if not session or not sent or not hmac.compare_digest(sent, token_for(session)):
            raise refused()


async def _form_token(request: Request) -> str | None:
    if not request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return None
    value = (await request.form()).get(FIELD)  # Starlette keeps the parsed form for the route
    return value if isinstance(value, str) else None
