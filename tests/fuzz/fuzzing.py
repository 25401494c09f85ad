"""How the services are fuzzed: schemathesis with a fixed seed and a bounded number of examples per
operation, no example database (every run is the same run), and the checks that mean something
here: no 5xx, and every answer the OpenAPI describes has the shape and media type it describes.

The schema is the app's own OpenAPI, read from an app built but not started (building one does
no I/O), so that pytest collects one test per operation; the requests go to the running services.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hypothesis.strategies as st
import pytest
import requests
import schemathesis
from fastapi import FastAPI
from schemathesis import Case, Response
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario
from schemathesis.specs.openapi.schemas import OpenApiSchema

from shared.settings import ServiceSettings

SEED = 20261125
MAX_EXAMPLES = 10

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        # Generation shares two cores with the four services and whatever else runs: slow is no failure.
        "suppress-health-check": ["too_slow"],
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        # Every route answers an unexpected method the same way (405): two of them are enough.
        "phases": {"stateful": {"enabled": False}, "coverage": {"unexpected-methods": ["delete", "patch"]}},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
        },
    }
)


# Hypothesis warns when the global `random` changes while it generates: here the services, running
# in the same process, draw their retry jitter from it, which has nothing to do with the strategies.
QUIET = pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")


def openapi(make_app: Callable[[Any], FastAPI], settings: type[ServiceSettings]) -> OpenApiSchema:
    app = make_app(settings(database_url="postgresql+asyncpg://schema-only/none", environment="test"))
    schema = schemathesis.openapi.from_dict(app.openapi(), config=CONFIG)
    schema.hook("flatmap_path_parameters")(existing_half_of_the_time)
    schema.hook("filter_case")(OneWrongTypePerValue())
    return schema


@dataclass(frozen=True)
class Known:
    """Things that exist (an account, its child, their school, a notice...) and a terminal's token."""

    values: dict[str, str]
    terminal_token: str


# Filled by the `known` fixture before any request is generated: the path parameters that name
# existing things, by parameter name.
EXISTING: dict[str, str] = {}


def existing_half_of_the_time(_: Any, path_parameters: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    """A `flatmap_path_parameters` hook: the generated path, or the same path naming things that
    exist, so that requests reach past "not found" (drawn by hypothesis: still reproducible)."""
    if not path_parameters:
        return st.just(path_parameters)
    existing = {name: EXISTING.get(name, value) for name, value in path_parameters.items()}
    return st.sampled_from([path_parameters, existing])


class OneWrongTypePerValue:
    """A `filter_case` hook for the coverage phase: of the five or so wrong JSON types it sends in
    place of each value (null, a number, a list...), one is kept. Every one of them is refused by
    the same pydantic validation, and they were half of all requests: the time goes to the rest."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str | None]] = set()

    def __call__(self, _: Any, case: Case) -> bool:
        data = case.meta.phase.data if case.meta is not None else None
        if not isinstance(data, CoveragePhaseData) or data.scenario is not CoverageScenario.INCORRECT_TYPE:
            return True
        key = (case.operation.label, data.location)
        first = key not in self.seen
        self.seen.add(key)
        return first


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refusals_say_what_and_why(_: Any, response: Response, case: Case) -> None:
    """Every 4xx is `{code, message}` JSON, whoever refused: a route, FastAPI or Starlette."""
    if 400 <= response.status_code < 500:
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        assert isinstance(body, dict), f"{case.operation.label}: a {response.status_code} that is not JSON"
        assert isinstance(body.get("code"), str), f"a {response.status_code} without a code: {body}"
        assert isinstance(body.get("message"), str), f"a {response.status_code} without a message: {body}"


def only_soap_client_faults(_: Any, response: Response, case: Case) -> None:
    """The pagoPA node's endpoint answers an envelope it cannot read with a SOAP 1.1 Client Fault,
    and the SOAP binding puts a Fault on HTTP 500: that one 5xx is the protocol, any other is not."""
    if response.status_code >= 500:
        fault = response.headers.get("content-type", [""])[0].startswith("text/xml") and b":Client<" in response.content
        assert fault, f"{case.operation.label}: {response.status_code} without a SOAP Client Fault"


def credentials_for(case: Case, headers: dict[str, str]) -> dict[str, str]:
    """The caller's credentials, except in the coverage cases about the `Authorization` header
    itself (missing, empty, of another shape): those go as generated, to fuzz the login paths."""
    data = case.meta.phase.data if case.meta is not None else None
    about_it = isinstance(data, CoveragePhaseData) and (data.parameter or "").lower() == "authorization"
    return {k: v for k, v in headers.items() if k.lower() != "authorization"} if about_it else headers


def fuzz(case: Case, base_url: str, headers: dict[str, str], soap: bool = False) -> None:
    headers = credentials_for(case, headers)
    excluded = [not_a_server_error] if soap else []
    extra = [refusals_say_what_and_why, *([only_soap_client_faults] if soap else [])]
    case.call_and_validate(
        base_url=base_url,
        session=_HTTP,
        headers=headers,
        timeout=30,
        excluded_checks=excluded,
        additional_checks=extra,
    )


_HTTP = requests.Session()  # one pool of loopback connections for the whole run
