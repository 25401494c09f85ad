"""pagoPA's ACA over HTTP: `POST {api_url}/paCreatePosition` with the creditor's subscription key.

Every body is checked against the official OpenAPI document (the service's byte-identical copy)
before it leaves: a body ACA would refuse as malformed is never sent, and fails with the reason.
ACA's own trouble (unreachable, a timeout, an error status) is returned as an answer, never
raised: what it means for the change is the domain's call (`domain/aca.py`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from payments.domain.aca import AcaAnswer

OPENAPI = Path(__file__).resolve().parent / "xsd" / "openapi" / "paCreatePosition.json"


@cache
def _validator() -> OAS30Validator:
    document = Resource.from_contents(json.loads(OPENAPI.read_text()), default_specification=DRAFT4)
    schema = {"$ref": "urn:aca#/components/schemas/NewDebtPositionRequest"}
    registry: Registry[Any] = Registry().with_resource("urn:aca", document)
    return OAS30Validator(schema, registry=registry, format_checker=oas30_format_checker)


def problems(position: dict[str, Any]) -> list[str]:
    """What makes the body unfit for `paCreatePosition` (nothing, for a conforming body)."""
    return [f"{'/'.join(map(str, e.path)) or 'body'}: {e.message}" for e in _validator().iter_errors(position)]


class HttpAca:
    def __init__(self, http: httpx.AsyncClient, api_url: str, subscription_key: str) -> None:
        self._http = http
        self._url = f"{api_url.rstrip('/')}/paCreatePosition"
        self._key = subscription_key

    async def register(self, position: dict[str, Any]) -> AcaAnswer:
        refused = problems(position)
        if refused:
            return AcaAnswer(None, "; ".join(refused), sent=False)
        try:
            response = await self._http.post(self._url, json=position, headers={"Ocp-Apim-Subscription-Key": self._key})
        except httpx.HTTPError as error:
            return AcaAnswer(None, f"{type(error).__name__} {error}".strip())
        return AcaAnswer(response.status_code, _detail(response), _retry_after(response.headers.get("retry-after")))


def _detail(response: httpx.Response) -> str:
    """ACA's problem (`title: detail`), or the start of whatever else it said."""
    try:
        problem = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(problem, dict) and ("title" in problem or "detail" in problem):
        return ": ".join(str(problem[k]) for k in ("title", "detail") if problem.get(k))
    if response.status_code == 200 and isinstance(problem, dict):
        return str(problem.get("status") or "")  # the position's state in ACA (VALID, INVALID...)
    return response.text[:300]


def _retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds (an HTTP date is ignored: the backoff applies)."""
    return float(value) if value and value.strip().isdigit() else None
