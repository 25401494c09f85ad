"""The screen's routes answer two callers: a browser without JavaScript (pages, error pages, a
form post that goes back to its page) and the screen's script replaying its queue, which asks
for JSON (`Accept: application/json`) and gets `{code, message}` for a refusal."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from shared.web import PageRoute, render

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
FRAGMENT = "schermo"  # the block of each screen that htmx refreshes


def now() -> datetime:
    return datetime.now(UTC)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


class ScreenRoute(PageRoute):
    """A page route whose domain errors reach the script as JSON (the app's handlers) and a
    browser as an Italian error page (`PageRoute`)."""

    def get_route_handler(self) -> Handler:
        page, plain = super().get_route_handler(), APIRoute.get_route_handler(self)

        async def route(request: Request) -> Response:
            return await (plain if wants_json(request) else page)(request)

        return route


def screen(request: Request, template: str, context: dict[str, Any]) -> Response:
    """A screen, or its `schermo` block for htmx; never kept by an HTTP cache (the service worker
    keeps what it needs offline, and a screen names children)."""
    block = FRAGMENT if request.headers.get("HX-Request") == "true" else None
    response = render(request, template, context | {"now": now()}, block=block)
    response.headers["Cache-Control"] = "no-store"
    return response


def answer(request: Request, back: str, body: BaseModel) -> Response:
    """The script gets the outcome; a form posted without JavaScript goes back to its screen."""
    if wants_json(request):
        return JSONResponse(body.model_dump(mode="json"))
    return RedirectResponse(back, status_code=303)
