"""The hot reads' fast lane (`accounts.api.fast_reads`) answers as FastAPI does: the same status,
headers and body, for an answer and for each error, counted in the HTTP metrics; and what it does
not take (a bad id or limit, a trace context) FastAPI answers."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from starlette.types import ASGIApp

from accounts.api import answers, fast_reads
from shared.tracing import current_trace_id
from testkit.oidc import ProviderProcess

from .test_auth import new_family, new_parent

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


# A cookie nobody reads: the fast lane leaves a request with any cookie to FastAPI (the login
# cookie is `SessionMiddleware`'s), and nothing else in the app looks at this one.
STEPPED_OVER = {"Cookie": "fast-lane=no"}


@pytest.fixture
async def both(office: httpx.AsyncClient) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Two clients of the same running app: one the fast lane answers, one it leaves to FastAPI
    (every request with a cookie nobody reads, `STEPPED_OVER`)."""
    served: ASGIApp = office._transport.app  # type: ignore[attr-defined]
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=served), base_url="http://test") as fast,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=served), base_url="http://test", headers=STEPPED_OVER
        ) as slow,
    ):
        yield fast, slow


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the fast lane answered."""
    paths: list[str] = []
    answered = fast_reads._answered

    async def spied(answer: Any, request: Any) -> Any:
        paths.append(request.url.path)
        return await answered(answer, request)

    monkeypatch.setattr(fast_reads, "_answered", spied)
    return paths


def answered(route: str, status: int) -> float:
    labels = {"method": "GET", "route": route, "status": str(status)}
    return REGISTRY.get_sample_value("refettorio_http_requests_total", labels) or 0.0


async def same_answer(
    both: tuple[httpx.AsyncClient, httpx.AsyncClient], path: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    fast, slow = both
    ours, theirs = await fast.get(path, headers=headers), await slow.get(path, headers=headers)
    assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content), path
    assert ours.headers.multi_items() == theirs.headers.multi_items(), path
    return ours


async def test_the_fast_lane_answers_the_hot_reads_as_fastapi_does(
    both: tuple[httpx.AsyncClient, httpx.AsyncClient],
    office: httpx.AsyncClient,
    identity_provider: ProviderProcess,
    taken: list[str],
) -> None:
    mine, theirs = await new_family(office), await new_family(office)
    await office.post(f"/office/accounts/{mine}/adjustments", json={"amount_cents": 1250, "reason": "buoni"})
    _, parent = await new_parent(office, identity_provider, mine)
    staff = {"Authorization": office.headers["Authorization"]}
    cases = [
        ("/me", parent, 200, "/me"),
        (f"/accounts/{mine}", parent, 200, "/accounts/{account_id}"),
        (f"/accounts/{mine}", staff, 200, "/accounts/{account_id}"),
        (f"/accounts/{mine}/movements", parent, 200, "/accounts/{account_id}/movements"),
        (f"/accounts/{mine}/movements?limit=1&offset=0", parent, 200, "/accounts/{account_id}/movements"),
        ("/me", None, 401, "/me"),
        (f"/accounts/{mine}", {"Authorization": "Bearer not-a-session"}, 401, "/accounts/{account_id}"),
        (f"/accounts/{mine}/movements", None, 401, "/accounts/{account_id}/movements"),
        (f"/accounts/{theirs}", parent, 404, "/accounts/{account_id}"),
        (f"/accounts/{theirs}/movements", parent, 404, "/accounts/{account_id}/movements"),
        ("/me", staff, 404, "/me"),  # the office has no account of its own
    ]
    for path, headers, status, route in cases:
        before = answered(route, status)
        taken.clear()
        response = await same_answer(both, path, headers)
        assert response.status_code == status, (path, response.text)
        assert taken == [path.split("?")[0]], path  # the fast lane answered it, FastAPI the other
        assert answered(route, status) == before + 2, path  # each path counted it once
    page = (await both[0].get(f"/accounts/{mine}/movements?limit=1", headers=parent)).json()
    assert (page["total"], page["limit"], len(page["items"])) == (1, 1, 1)
    assert page["items"][0]["amount"]["cents"] == 1250


async def test_what_the_fast_lane_does_not_take_fastapi_answers(
    both: tuple[httpx.AsyncClient, httpx.AsyncClient],
    office: httpx.AsyncClient,
    identity_provider: ProviderProcess,
    taken: list[str],
) -> None:
    mine = await new_family(office)
    _, parent = await new_parent(office, identity_provider, mine)
    for path, status in [
        ("/accounts/not-a-uuid", 422),
        ("/accounts/not-a-uuid/movements", 422),
        (f"/accounts/{mine.replace('-', '')}", 200),  # a UUID FastAPI reads, not the plain form
        (f"/accounts/{mine}/movements?limit=0", 422),
        (f"/accounts/{mine}/movements?limit=501", 422),
        (f"/accounts/{mine}/movements?limit=ten", 422),
        (f"/accounts/{mine}/movements?offset=-1", 422),
        (f"/accounts/{mine}/movements?cause=meal", 200),
        (f"/accounts/{mine}/movements?limit=5&limit=7", 200),
        ("/me?x=1", 200),
    ]:
        response = await same_answer(both, path, parent)
        assert response.status_code == status, (path, response.text)
        if status == 422:
            assert response.json()["code"] == "richiesta_non_valida", path
    assert taken == []


async def test_a_request_with_a_trace_context_goes_through_the_traced_path(
    both: tuple[httpx.AsyncClient, httpx.AsyncClient],
    office: httpx.AsyncClient,
    identity_provider: ProviderProcess,
    taken: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mine = await new_family(office)
    _, parent = await new_parent(office, identity_provider, mine)
    seen: list[str | None] = []
    account = answers.account

    def traced_account(found: Any) -> Any:
        seen.append(current_trace_id())
        return account(found)

    monkeypatch.setattr(answers, "account", traced_account)
    response = await same_answer(both, "/me", parent | {"traceparent": TRACEPARENT})
    assert response.status_code == 200
    assert taken == [] and seen == [TRACE_ID, TRACE_ID]  # the route ran in the caller's trace, both times
