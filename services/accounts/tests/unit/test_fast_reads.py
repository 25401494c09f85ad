"""Which requests the hot reads' fast lane takes (`accounts.api.fast_reads.hot_read`): exactly the
three reads, plainly asked; anything else is the app's."""

import inspect
import typing
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from accounts.api import accounts, fast_reads
from accounts.api.fast_reads import FastReads, hot_read
from accounts.bootstrap import make_app
from accounts.config import AccountsSettings
from shared.errors import RefettorioError
from shared.http import HttpError
from shared.metrics import HttpMetrics
from shared.text_guard import RefuseUnstorableText
from shared.tracing import TraceRequests

ID = "0b8f6a44-54f6-4f57-9a77-3c1f4a1b2c3d"
BEARER = (b"authorization", b"Bearer token")


def request(path: str, query: bytes = b"", method: str = "GET", *headers: tuple[bytes, bytes]) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"test"), BEARER, *headers],
    }


@pytest.mark.parametrize(
    ("path", "query", "route"),
    [
        ("/me", b"", "/me"),
        (f"/accounts/{ID}", b"", "/accounts/{account_id}"),
        (f"/accounts/{ID.upper()}", b"", "/accounts/{account_id}"),
        (f"/accounts/{ID}/movements", b"", "/accounts/{account_id}/movements"),
        (f"/accounts/{ID}/movements", b"limit=500&offset=1000000", "/accounts/{account_id}/movements"),
        (f"/accounts/{ID}/movements", b"offset=0", "/accounts/{account_id}/movements"),
    ],
)
def test_the_three_reads_take_the_fast_lane(path: str, query: bytes, route: str) -> None:
    found = hot_read(request(path, query))
    assert found is not None and found[0] == route


@pytest.mark.parametrize(
    ("path", "query", "method", "header"),
    [
        ("/me", b"", "HEAD", None),
        ("/me/", b"", "GET", None),
        ("/me", b"x=1", "GET", None),
        (f"/accounts/{ID}", b"limit=5", "GET", None),
        (f"/accounts/{ID.replace('-', '')}", b"", "GET", None),
        (f"/accounts/{{{ID}}}", b"", "GET", None),
        (f"/accounts/{ID}/movements.csv", b"", "GET", None),
        (f"/accounts/{ID}/movements", b"limit=0", "GET", None),
        (f"/accounts/{ID}/movements", b"limit=501", "GET", None),
        (f"/accounts/{ID}/movements", b"limit=05", "GET", None),
        (f"/accounts/{ID}/movements", b"offset=1000001", "GET", None),
        (f"/accounts/{ID}/movements", b"limit=5&limit=6", "GET", None),
        (f"/accounts/{ID}/movements", b"limit=5&", "GET", None),
        (f"/accounts/{ID}/movements", b"cause=meal", "GET", None),
        (f"/accounts/{ID}/movements", b"limit=%35", "GET", None),
        ("/me", b"", "GET", (b"traceparent", b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
        ("/me", b"", "GET", (b"baggage", b"a=b")),
        ("/me", b"", "GET", (b"cookie", b"refettorio_login=abc")),
        ("/me", b"", "GET", (b"content-length", b"2")),
        ("/me", b"", "GET", (b"transfer-encoding", b"chunked")),
    ],
)
def test_anything_else_goes_to_the_app(
    path: str, query: bytes, method: str, header: tuple[bytes, bytes] | None
) -> None:
    assert hot_read(request(path, query, method, *([header] if header else []))) is None


def test_a_request_behind_a_root_path_goes_to_the_app() -> None:
    assert hot_read(request("/me") | {"root_path": "/api"}) is None


def test_the_fast_lane_keeps_the_routes_bounds_and_defaults() -> None:
    hints = typing.get_type_hints(accounts.list_movements, include_extras=True)
    signature = inspect.signature(accounts.list_movements)
    for name, bound in (("limit", accounts.MOST_MOVEMENTS_PER_PAGE), ("offset", accounts.FURTHEST_OFFSET)):
        (query,) = typing.get_args(hints[name])[1:]
        assert [getattr(m, "le", None) for m in query.metadata if hasattr(m, "le")] == [bound], name
    page = fast_reads._page(b"")
    assert page == (signature.parameters["limit"].default, signature.parameters["offset"].default)


def test_the_layers_and_dependencies_the_fast_lane_passes_by_are_the_known_ones() -> None:
    """The lane answers before the app's middleware and routing: a middleware, or a dependency of
    the three routes, added later would be passed by on the hottest reads. This fails then, to
    say so: whatever it adds must be done in `fast_reads` too, or the request sent on."""
    app = make_app(AccountsSettings(oidc_issuer="http://oidc.test", oidc_client_secret="x", session_secret="x" * 32))
    assert [layer.cls for layer in app.user_middleware] == [
        FastReads,
        SessionMiddleware,
        TraceRequests,
        HttpMetrics,
        RefuseUnstorableText,
    ]
    assert app.router.dependencies == []
    expected = {
        accounts.my_account: ("/me", []),
        accounts.get_account: ("/accounts/{account_id}", []),
        accounts.list_movements: ("/accounts/{account_id}/movements", [accounts.movement_filter]),
    }
    routes = {route.endpoint: route for route in accounts.router.routes if isinstance(route, APIRoute)}
    for endpoint, (template, dependencies) in expected.items():
        route = routes[endpoint]
        assert (route.path, route.dependencies) == (template, [])
        assert [d.call for d in route.dependant.dependencies] == dependencies
        assert fast_reads._TEMPLATES[endpoint] == template
    # The router is included as it is: no prefix, no dependencies added at the inclusion.
    (included,) = [route for route in app.routes if getattr(route, "original_router", None) is accounts.router]
    context = included.include_context  # type: ignore[attr-defined]
    assert (context.prefix, context.dependencies) == ("", [])


def test_an_error_finds_the_handler_the_app_would_give_it() -> None:
    """As Starlette's `ExceptionMiddleware`: an HTTPException's status, then the nearest class;
    `Exception` is left to `ServerErrorMiddleware` (None: the error goes on up)."""
    by_status, by_http, by_domain, last_resort = object(), object(), object(), object()
    app = SimpleNamespace(
        exception_handlers={403: by_status, HTTPException: by_http, RefettorioError: by_domain, Exception: last_resort}
    )
    assert fast_reads._handler(app, HTTPException(403)) is by_status
    assert fast_reads._handler(app, HTTPException(404)) is by_http
    assert fast_reads._handler(app, HttpError(401, "non_autenticato", "Accesso richiesto.")) is by_domain
    assert fast_reads._handler(app, RuntimeError("boom")) is None
