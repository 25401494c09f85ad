"""The kernel's metrics count what happens, by route template and consumer group."""

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY

from shared.metrics import HttpMetrics


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_requests_are_counted_by_route_template_not_by_raw_path() -> None:
    app = FastAPI()
    app.add_middleware(HttpMetrics)

    @app.get("/accounts/{account_id}")
    async def account(account_id: str) -> dict[str, str]:
        return {"id": account_id}

    before = sample("refettorio_http_requests_total", method="GET", route="/accounts/{account_id}", status="200")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for n in range(3):
            assert (await client.get(f"/accounts/{n}")).status_code == 200
        assert (await client.get("/nowhere")).status_code == 404
    after = sample("refettorio_http_requests_total", method="GET", route="/accounts/{account_id}", status="200")
    assert after - before == 3
    assert sample("refettorio_http_requests_total", method="GET", route="unmatched", status="404") >= 1
    assert sample("refettorio_http_request_duration_seconds_count", method="GET", route="/accounts/{account_id}") >= 3
