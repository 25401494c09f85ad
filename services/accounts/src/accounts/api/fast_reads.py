"""The three reads of every page view (`/me`, an account, its movements) answered before the app's
middleware and routing, which cost those requests more than their own work (issue 12).

It answers only a request it recognises exactly: `GET`, the path with a plain UUID, no query
(movements: `limit` and `offset` as digits within their bounds), no body, no cookie (the login
cookie is `SessionMiddleware`'s), no trace context and no tracer recording (`TraceRequests` makes
the span). Anything else goes on to the app untouched. What it answers, it answers as the app
would: it calls the same route functions, renders their errors with the app's own handlers and
counts the request in the HTTP metrics; the layers it passes by add nothing to such an answer
(the tests compare both paths' status, headers and bodies, and pin the layers and the routes'
dependencies, so that one added later fails them instead of being passed by).

It is the outermost of the app's middleware, inside Starlette's `ServerErrorMiddleware`: an
unexpected error becomes the app's 500, logged, as on the app's path.
"""

from __future__ import annotations

import functools
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from accounts.api import accounts
from accounts.handlers.read_models import MovementFilter
from shared.metrics import count_request
from shared.text_guard import has_body
from shared.tracing import untraced

_ID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_PATH = re.compile(rf"/me|/accounts/(?P<id>{_ID})(?P<movements>/movements)?")
_PAGE = re.compile(r"limit=(?P<limit>[1-9][0-9]{0,2})|offset=(?P<offset>0|[1-9][0-9]{0,6})")
_EVERY_MOVEMENT = MovementFilter()
# The metrics' route labels: the routes' own templates, as `HttpMetrics` labels them.
_TEMPLATES = {route.endpoint: route.path for route in accounts.router.routes if isinstance(route, APIRoute)}

# A route function with its path and query parameters bound: called with the request and the
# `Authorization` header, as FastAPI would call it.
Answer = Callable[..., Awaitable[Response]]


class FastReads:
    """ASGI middleware, outermost: the hot reads straight to their route functions."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        read = hot_read(scope) if scope["type"] == "http" else None
        if read is None:
            await self.app(scope, receive, send)
            return
        route, answer = read
        started, status = time.perf_counter(), 500
        try:
            response = await _answered(answer, Request(scope, receive))
            status = response.status_code
            await response(scope, receive, send)
        finally:
            count_request("GET", route, status, time.perf_counter() - started)


def hot_read(scope: Scope) -> tuple[str, Answer] | None:
    """The route template and its bound route function, for a request the fast lane takes."""
    matched = _PATH.fullmatch(scope["path"])
    if matched is None or not _plain(scope):
        return None
    account_id, query = matched["id"], scope["query_string"]
    if matched["movements"]:
        page = _page(query)
        if page is None:
            return None
        limit, offset = page
        listed = functools.partial(
            accounts.list_movements, uuid.UUID(account_id), where=_EVERY_MOVEMENT, limit=limit, offset=offset
        )
        return _TEMPLATES[accounts.list_movements], listed
    if query:
        return None
    if account_id:
        return _TEMPLATES[accounts.get_account], functools.partial(accounts.get_account, uuid.UUID(account_id))
    return _TEMPLATES[accounts.my_account], accounts.my_account


def _plain(scope: Scope) -> bool:
    """A GET the layers passed by would do nothing for: no body for `RefuseUnstorableText` to
    read, no cookie for `SessionMiddleware`, nothing for `TraceRequests` to record or carry on."""
    if scope["method"] != "GET" or scope.get("root_path") or has_body(scope) or not untraced(scope):
        return False
    return all(name != b"cookie" for name, _ in scope["headers"])


def _page(query: bytes) -> tuple[int, int] | None:
    """`limit` and `offset` as the route reads them, each at most once; None for any other query."""
    given: dict[str, int] = {}
    for part in query.decode("latin-1").split("&") if query else ():
        matched = _PAGE.fullmatch(part)
        name = matched.lastgroup if matched else None  # a match names its group: None only for mypy
        if matched is None or name is None or name in given:
            return None
        given[name] = int(matched[name])
    limit, offset = given.get("limit", accounts.MOVEMENTS_PER_PAGE), given.get("offset", 0)
    return (limit, offset) if limit <= accounts.MOST_MOVEMENTS_PER_PAGE and offset <= accounts.FURTHEST_OFFSET else None


async def _answered(answer: Answer, request: Request) -> Response:
    """The route's answer, or its error as the app's own handler renders it; an error no handler
    takes goes on up to `ServerErrorMiddleware`, as it would from the app."""
    try:
        return await answer(request, authorization=request.headers.get("authorization"))
    except Exception as error:
        handler = _handler(request.app, error)
        if handler is None:
            raise
        return await handler(request, error)


Handler = Callable[[Request, Exception], Awaitable[Response]]


def _handler(app: Any, error: Exception) -> Handler | None:
    """The app's handler for `error`, looked up as Starlette's `ExceptionMiddleware` does: an
    `HTTPException`'s status first, then the nearest class. `Exception` itself is the 500 of
    `ServerErrorMiddleware`, outside this lane."""
    handlers: dict[Any, Handler] = app.exception_handlers
    if isinstance(error, HTTPException) and error.status_code in handlers:
        return handlers[error.status_code]
    return next((handlers[kind] for kind in type(error).__mro__ if kind in handlers and kind is not Exception), None)
