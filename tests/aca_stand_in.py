"""A local stand-in for pagoPA's ACA (Archivio Centralizzato Avvisi), over real HTTP.

`POST /paCreatePosition` as ACA answers it: every request is validated against the official OpenAPI
document (openapi-core: method, path, content type, body, subscription key); a malformed one gets
400; a wrong key 401; a position is kept per (creditor fiscal code, IUV): created VALID, updated,
invalidated by an amount of 0 (422 when there is nothing to invalidate), and any change to a
position no longer VALID (invalid, expired, paid) gets 409, as PagoPA's ACA service does. It
can be told to fail for a while: `down` (the port refuses connections), `error` (503), `throttle`
(429 with Retry-After), `hang` (the change is applied, the answer held back until released).

Beyond ACA's API, for tests and the node simulator (the node reads ACA to take a Stand-In payment):
`GET /stand-in/positions/{fiscalCode}/{iuv}`, `POST /stand-in/positions/{fiscalCode}/{iuv}/paid`,
`GET /stand-in/requests`, and `POST /stand-in/fault` with `{"mode": ..., "seconds": ...}`.

Usable as a library (`with AcaStandIn(key) as aca: ...`) or from the command line (`make up` runs it):

    python tests/aca_stand_in.py --port 8010 --key dev-aca-key
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

# The service's byte-identical copy of the official document (a unit test keeps it so).
SPEC = Path(__file__).resolve().parents[1] / "services/payments/src/payments/adapters/xsd/openapi/paCreatePosition.json"
POSITION = re.compile(r"^/stand-in/positions/(\d{11})/(\w+)(/paid)?$")
FAULTS = {"error": 503, "throttle": 429}


@dataclass
class Position:
    body: dict[str, Any]
    status: str = "VALID"  # VALID, INVALID, EXPIRED (its due moment passed), PAID (by the Stand-In)
    versions: list[dict[str, Any]] = field(default_factory=list)

    def refresh(self, now: datetime) -> None:
        expiry = datetime.fromisoformat(self.body["expirationDate"])
        if self.status == "VALID" and self.body.get("switchToExpired") and _aware(expiry) < now:
            self.status = "EXPIRED"


@dataclass(frozen=True)
class Received:
    """One request to `/paCreatePosition`: its body, what the official document found wrong, the answer."""

    body: Any
    errors: list[str]
    status: int
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class _Request:
    """A request as openapi-core reads it, placed at the server the official document names."""

    host_url: str
    path: str
    method: str
    body: bytes
    content_type: str
    headers: dict[str, str]

    @property
    def full_url_pattern(self) -> str:
        return self.host_url + self.path

    @property
    def parameters(self) -> RequestParameters:
        return RequestParameters(header=Headers(self.headers), query=ImmutableMultiDict(), cookie=ImmutableMultiDict())


class AcaStandIn:
    def __init__(self, subscription_key: str, port: int = 0, spec: Path = SPEC, host: str = "127.0.0.1") -> None:
        document = json.loads(spec.read_text())
        self.openapi = OpenAPI.from_dict(document)
        server = urlsplit(document["servers"][0]["url"])  # requests are checked as if sent there
        self._documented = (f"{server.scheme}://{server.netloc}", f"{server.path}/paCreatePosition")
        self.subscription_key = subscription_key
        self.positions: dict[tuple[str, str], Position] = {}
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self._fault: tuple[str, float] | None = None  # mode, until (monotonic)
        self._released = threading.Event()
        self._host, self._port = host, port
        self._server: ThreadingHTTPServer | None = None
        self.up()

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._port}"

    # -- running -------------------------------------------------------------------------------

    def up(self) -> None:
        """Listens (again) on its port."""
        if self._server is not None:
            return
        self._server = ThreadingHTTPServer((self._host, self._port), _handler(self))
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        """Stops listening: connections are refused until `up()`."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> AcaStandIn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.down()

    # -- faults --------------------------------------------------------------------------------

    def fail(self, mode: str, seconds: float | None = None) -> None:
        """`error`, `throttle` or `hang` for `seconds` (until `clear()` when None); `down` too."""
        if mode == "down":
            self.down()
            if seconds is not None:
                threading.Timer(seconds, self.up).start()
            return
        if mode not in (*FAULTS, "hang"):
            raise ValueError(f"unknown fault {mode!r}")
        self._released.clear()
        self._fault = (mode, time.monotonic() + seconds if seconds is not None else float("inf"))

    def clear(self) -> None:
        self._fault = None
        self.release()

    def release(self) -> None:
        """Lets held answers go (`hang`)."""
        self._released.set()

    def fault(self) -> str | None:
        if self._fault is None or time.monotonic() > self._fault[1]:
            return None
        return self._fault[0]

    # -- what it holds -------------------------------------------------------------------------

    def position(self, fiscal_code: str, iuv: str) -> Position | None:
        with self.lock:
            found = self.positions.get((fiscal_code, iuv))
            if found is not None:
                found.refresh(datetime.now(UTC))
            return found

    def requests_for(self, iuv: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if isinstance(r.body, dict) and r.body.get("iuv") == iuv]

    def invalid(self) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.errors]

    def mark_paid(self, fiscal_code: str, iuv: str) -> bool:
        """The node took a Stand-In payment for it: any later change gets 409."""
        found = self.position(fiscal_code, iuv)
        if found is None or found.status != "VALID":
            return False
        with self.lock:
            found.status = "PAID"
        return True

    # -- ACA's answer --------------------------------------------------------------------------

    def answer(self, raw: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Status, body and extra headers for one `POST /paCreatePosition`; every request is kept."""
        errors = self.validate(raw, headers)
        body = _json(raw)
        status, answer, extra = self._decide(body, errors, headers)
        with self.lock:
            self.received.append(Received(body, errors, status))
        if status == 200 and self.fault() == "hang" and self._fault is not None:
            until = self._fault[1]
            self._released.wait(timeout=None if until == float("inf") else max(0.0, until - time.monotonic()))
        return status, answer, extra

    def validate(self, raw: bytes, headers: dict[str, str]) -> list[str]:
        """What the official document finds wrong with the request (nothing, for a valid one)."""
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        request = _Request(*self._documented, "post", raw, content_type.split(";")[0].strip().lower(), headers)
        try:
            self.openapi.validate_request(request)
        except Exception as error:
            cause = error.__cause__
            details = [str(e.message) for e in getattr(cause, "schema_errors", ())]
            return details or [str(error)]
        return []

    def _decide(
        self, body: Any, errors: list[str], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        fault = self.fault()
        if fault in FAULTS:
            return FAULTS[fault], _problem(FAULTS[fault], "Stand-in fault"), {"Retry-After": "1"}
        if headers.get("Ocp-Apim-Subscription-Key") != self.subscription_key:  # pagoPA's gateway, first
            return 401, {"statusCode": 401, "message": "Access denied due to invalid subscription key."}, {}
        if errors:
            return 400, _problem(400, "; ".join(errors)[:500]), {}
        with self.lock:
            return self._apply(body)

    def _apply(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        key = (body["paFiscalCode"], body["iuv"])
        found = self.positions.get(key)
        if found is not None:
            found.refresh(datetime.now(UTC))
        if found is None and body["amount"] == 0:
            return 422, _problem(422, "Can not perform the requested action on debit position"), {}
        if found is not None and found.status != "VALID":
            return 409, _problem(409, f"Unauthorized action on debt position with iuv: {body['iuv']}"), {}
        if found is None:
            found = self.positions[key] = Position(body)
        else:
            found.body = body
        found.status = "INVALID" if body["amount"] == 0 else "VALID"
        found.versions.append(body)
        return 200, _response(found), {}


def _handler(stand_in: AcaStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/paCreatePosition":
                self._send(*stand_in.answer(raw, dict(self.headers.items())))
            elif self.path == "/stand-in/fault":
                order = _json(raw) or {}
                self._send(200, {"mode": order.get("mode")}, {})
                if order.get("mode") in (None, "none"):
                    stand_in.clear()
                else:
                    stand_in.fail(order["mode"], order.get("seconds"))
            elif (match := POSITION.match(self.path)) and match.group(3):
                paid = stand_in.mark_paid(match.group(1), match.group(2))
                self._send(200 if paid else 409, {"paid": paid}, {})
            else:
                self._send(404, _problem(404, "Not found"), {})

        def do_GET(self) -> None:
            if self.path == "/stand-in/requests":
                with stand_in.lock:
                    kept = [{"body": r.body, "errors": r.errors, "status": r.status} for r in stand_in.received]
                self._send(200, {"requests": kept}, {})
            elif (match := POSITION.match(self.path)) and not match.group(3):
                found = stand_in.position(match.group(1), match.group(2))
                if found is None:
                    self._send(404, _problem(404, "Not found"), {})
                else:
                    self._send(200, _response(found), {})
            else:
                self._send(404, _problem(404, "Not found"), {})

        def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            content = json.dumps(body).encode()
            with contextlib.suppress(OSError):  # the caller may be gone (a killed client)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content)

        def log_message(self, *args: object) -> None:  # quiet
            pass

    return Handler


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _problem(status: int, detail: str) -> dict[str, Any]:
    titles = {400: "Bad Request", 404: "Not found", 409: "Unauthorized action", 422: "Unprocessable request"}
    return {
        "type": "https://example.com/problem/",
        "title": titles.get(status, "Error"),
        "status": status,
        "detail": detail,
    }


def _response(position: Position) -> dict[str, Any]:
    body = position.body
    fields = ("paFiscalCode", "entityType", "entityFiscalCode", "entityFullName", "iuv", "nav", "amount")
    more = ("description", "expirationDate", "iban", "postalIban", "switchToExpired")
    return {k: body[k] for k in (*fields, *more) if k in body} | {"companyName": "Comune", "status": position.status}


def main() -> None:
    parser = argparse.ArgumentParser(description="pagoPA ACA's paCreatePosition, played locally.")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--key", default="dev-aca-key", help="the subscription key it accepts")
    parser.add_argument("--spec", type=Path, default=SPEC, help="the official OpenAPI document")
    args = parser.parse_args()
    stand_in = AcaStandIn(args.key, args.port, args.spec)
    print(f"ACA stand-in on {stand_in.url} (requests received: {stand_in.url}/stand-in/requests)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


if __name__ == "__main__":
    main()
