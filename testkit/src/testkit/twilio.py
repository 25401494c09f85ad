"""Twilio's Messages endpoint played on a loopback port: for the tests, and the local catcher.

`POST /2010-04-01/Accounts/<sid>/Messages.json` (form `To`, `From`, `Body`; HTTP basic auth) is
answered as Twilio does: `201` with the new message's `sid`, or, for the next `failures`
requests, `503` with Twilio's error shape. Every request is kept, as a dict with `sid`, `path`,
`authorization`, `form` and `accepted`; `on_accepted` is also handed each accepted one.
"""

from __future__ import annotations

import contextlib
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from testkit.servers import JsonHandler, serving_http

Request = dict[str, Any]


class FakeTwilio:
    def __init__(self, on_accepted: Callable[[Request], None] | None = None) -> None:
        self.port = 0
        self.requests: list[Request] = []
        self.failures = 0  # change it under `lock`
        self.lock = threading.Lock()
        self._on_accepted = on_accepted

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def to(self, phone: str, accepted_only: bool = True) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r["form"].get("To") == phone and (r["accepted"] or not accepted_only)]

    def receive(self, path: str, authorization: str | None, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Keeps one request; the status and JSON body to answer it with."""
        with self.lock:
            accepted = self.failures == 0
            self.failures = max(self.failures - 1, 0)
            sid = f"SM{uuid.uuid4().hex}" if accepted else None
            request = {"sid": sid, "path": path, "authorization": authorization, "form": form, "accepted": accepted}
            self.requests.append(request)
        if not accepted:
            return 503, {"code": 20503, "message": "Service unavailable", "status": 503}
        if self._on_accepted is not None:
            self._on_accepted(request)
        return 201, {"sid": sid, "status": "queued", "to": form.get("To")}


def _handler(fake: FakeTwilio) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def do_POST(self) -> None:
            form = dict(urllib.parse.parse_qsl(self.body().decode()))
            self.answer(*fake.receive(self.path, self.headers.get("Authorization"), form))

    return Handler


@contextlib.contextmanager
def serving(port: int = 0, on_accepted: Callable[[Request], None] | None = None) -> Iterator[FakeTwilio]:
    """A fake Twilio on `port` (any free one by default), served from a thread."""
    fake = FakeTwilio(on_accepted)
    with serving_http(_handler(fake), port) as fake.port:
        yield fake
