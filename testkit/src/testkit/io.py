"""The app IO's Services API played on a loopback port: for the tests, and the local catcher.

Every request is checked against IO's own document, `io-services-api.yaml` (the shared spec's
file in the tests, `OFFICIAL`; the test kit's byte-identical copy, `COPY`, under `make up`) with
`testkit.swagger`: an unknown operation is answered 404, a missing or wrong
`Ocp-Apim-Subscription-Key` 401, a request off its schemas 400 (ProblemJson); each is kept with
what was wrong (`invalid()`), and so is an answer of the stand-in's own that is off the document.
Then it plays IO:
- `POST /profiles` `{fiscal_code}`: 404 for a citizen not on IO, else `{sender_allowed}`;
- `POST /messages` (or `/messages/{fiscal_code}`): 201 with a new id; the message is kept as
  `PROCESSED`, or as `REJECTED` when the citizen is not on IO or does not allow the service (IO
  accepts it, then rejects it);
- while `busy` is above zero, each request (of the operation `busy_operation`, when set) is
  answered 429 instead, and counts it down.
Who is on IO: `citizens` (fiscal code -> sender_allowed), and with `everyone` any other too.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from testkit.servers import JsonHandler, serving_http
from testkit.swagger import Operation, SwaggerDocument

COPY = Path(__file__).resolve().parent / "spec" / "io-services-api.yaml"
KEY_HEADER = "ocp-apim-subscription-key"
Record = dict[str, Any]
Answer = tuple[int, Any]


def official_document() -> Path:
    """The shared spec's file, beside the repository (or beside the folder of its worktrees)."""
    for folder in COPY.parents:
        candidate = folder / "shared" / "pagopa" / "spec" / "io" / "io-services-api.yaml"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no shared/pagopa/spec/io/io-services-api.yaml above {COPY}")


def _formats(document: dict[str, Any]) -> dict[str, Callable[[Any], bool]]:
    """The string formats IO's document names (from pagoPA's ts-commons), checked as IO does;
    a fiscal code by the pattern the document gives its path parameter."""
    fiscal_code = re.compile(document["parameters"]["FiscalCode"]["pattern"])

    def matching(pattern: re.Pattern[str]) -> Callable[[Any], bool]:
        return lambda value: not isinstance(value, str) or bool(pattern.fullmatch(value))

    return {
        "FiscalCode": matching(fiscal_code),
        "OrganizationFiscalCode": matching(re.compile(r"[0-9]{11}")),
        "UTCISODateFromString": matching(re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z")),
        "EmailString": matching(re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")),
    }


class FakeIo:
    def __init__(
        self,
        document: Path,
        api_key: str,
        citizens: dict[str, bool] | None = None,
        everyone: bool = False,
        on_message: Callable[[Record], None] | None = None,
    ) -> None:
        self.api = SwaggerDocument(document)
        for name, check in _formats(self.api.document).items():
            self.api.add_format(name, check)
        self.api_key = api_key
        self.citizens = dict(citizens or {})  # change them, and `busy`, under `lock`
        self.everyone = everyone
        self.busy = 0
        self.busy_operation: str | None = None
        self.port = 0
        self.lock = threading.Lock()
        self.requests: list[Record] = []
        self.messages: list[Record] = []
        self._on_message = on_message

    @property
    def url(self) -> str:
        """The base URL a client is configured with (`basePath` included)."""
        return f"http://127.0.0.1:{self.port}{self.api.base_path}"

    def to(self, fiscal_code: str) -> list[Record]:
        """The messages the citizen received (processed, not rejected)."""
        with self.lock:
            return [m for m in self.messages if m["fiscal_code"] == fiscal_code and m["status"] == "PROCESSED"]

    def calls(self, operation_id: str, fiscal_code: str) -> list[Record]:
        """The requests of one operation about one citizen, whatever was answered."""
        with self.lock:
            return [r for r in self.requests if r["operation"] == operation_id and r["fiscal_code"] == fiscal_code]

    def invalid(self) -> list[Record]:
        with self.lock:
            return [r for r in self.requests if r["errors"]]

    def receive(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Answer:
        """Keeps one request; the status and JSON body to answer it with."""
        operation = self.api.operation(method, path)
        body, errors = _parsed(raw, headers)
        if operation is None:
            return self._keep(method, path, None, body, [f"no operation {method} {path}"], (404, None))
        errors += self.api.request_errors(operation, headers, body)
        answer = self._answer(operation, headers, body, errors)
        errors += self.api.response_errors(operation, *answer)
        return self._keep(method, path, operation, body, errors, answer)

    def _answer(self, operation: Operation, headers: dict[str, str], body: Any, errors: list[str]) -> Answer:
        if headers.get(KEY_HEADER) != self.api_key:
            return 401, None
        if errors:
            return 400, _problem(400, "Invalid payload", "; ".join(errors)[:500])
        operation_id = operation.spec["operationId"]
        with self.lock:
            if self.busy > 0 and self.busy_operation in (None, operation_id):
                self.busy -= 1
                return 429, None
        if operation_id == "getProfileByPOST":
            return self._profile(body["fiscal_code"])
        if operation_id.startswith("submitMessageforUser"):
            return self._message(operation, body)
        return 501, None  # not played by the stand-in (and not documented: kept as invalid)

    def _profile(self, fiscal_code: str) -> Answer:
        allowed = self._allowed(fiscal_code)
        if allowed is None:
            return 404, _problem(404, "Profile not found", "No user found for the provided fiscal code.")
        return 200, {"sender_allowed": allowed, "preferred_languages": ["it_IT"]}

    def _message(self, operation: Operation, body: dict[str, Any]) -> Answer:
        fiscal_code = operation.path_values.get("fiscal_code") or body.get("fiscal_code")
        if fiscal_code is None:
            return 400, _problem(400, "Invalid payload", "fiscal_code is required")
        message = {
            "id": uuid.uuid4().hex[:26].upper(),
            "fiscal_code": fiscal_code,
            "status": "PROCESSED" if self._allowed(fiscal_code) else "REJECTED",
            "received_at": datetime.now(UTC).isoformat(),
            **{k: v for k, v in body.items() if k != "fiscal_code"},
        }
        with self.lock:
            self.messages.append(message)
        if message["status"] == "PROCESSED" and self._on_message is not None:
            self._on_message(message)
        return 201, {"id": message["id"]}

    def _allowed(self, fiscal_code: str) -> bool | None:
        with self.lock:
            return self.citizens.get(fiscal_code, True if self.everyone else None)

    def _keep(
        self, method: str, path: str, operation: Operation | None, body: Any, errors: list[str], answer: Answer
    ) -> Answer:
        fiscal_code = body.get("fiscal_code") if isinstance(body, dict) else None
        if operation is not None:
            fiscal_code = operation.path_values.get("fiscal_code", fiscal_code)
        record = {
            "operation": operation.spec.get("operationId") if operation else None,
            "method": method,
            "path": path,
            "fiscal_code": fiscal_code,
            "body": body,
            "status": answer[0],
            "errors": errors,
        }
        with self.lock:
            self.requests.append(record)
        return answer


def _parsed(raw: bytes, headers: dict[str, str]) -> tuple[Any, list[str]]:
    if not raw:
        return None, []
    if not headers.get("content-type", "").startswith("application/json"):
        return None, ["the body is not application/json"]
    try:
        return json.loads(raw), []
    except ValueError:
        return None, ["the body is not JSON"]


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail}


def _handler(fake: FakeIo) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def do_PUT(self) -> None:
            self._serve()

        def _serve(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            self.answer(*fake.receive(self.command, self.path, headers, self.body()))

    return Handler


@contextlib.contextmanager
def serving(
    document: Path,
    api_key: str,
    port: int = 0,
    citizens: dict[str, bool] | None = None,
    everyone: bool = False,
    on_message: Callable[[Record], None] | None = None,
) -> Iterator[FakeIo]:
    """An IO stand-in on `port` (any free one by default), served from a thread."""
    fake = FakeIo(document, api_key, citizens, everyone, on_message)
    with serving_http(_handler(fake), port) as fake.port:
        yield fake
