"""Text that nobody types and no database stores — the NUL character, lone UTF-16 surrogates — is
refused at the edge of every service, for the whole request at once: its path, its query, and a
JSON or form body, before any route sees it. PostgreSQL cannot hold either in a `text` column
(`invalid byte sequence for encoding "UTF8": 0x00`), and a surrogate cannot even be encoded.

Why one request-level check rather than a string type on every field: a fuzzer found these
characters answering 500 in a login email, a search query and a closure's reason — three kinds of
parameter in three services — and a per-field type protects only the fields someone remembered,
while the routes being written now (the SPID login, the portal's forms) get this without knowing.
The price is reading a JSON or form body once more; bodies here are small (one above 1 MiB is
refused with a 413 rather than held), and every other body (the pagoPA node's SOAP XML, whose
parser refuses NUL itself) passes untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# No JSON or form body of these APIs comes near it (a family, a tariff: a few kilobytes); it bounds
# what the check holds in memory, so that it never buffers what a route would have refused.
MAX_TEXT_BODY = 1024 * 1024
_NOT_TEXT = {
    "code": "testo_non_valido",
    "message": "Il testo contiene caratteri non ammessi (come il carattere nullo): correggilo e riprova.",
}
_TOO_LARGE = {"code": "richiesta_troppo_grande", "message": "La richiesta è troppo grande."}


def unstorable(text: str) -> bool:
    """True if `text` holds a NUL or a lone surrogate (a paired one is decoded as its character)."""
    return _UNSTORABLE.search(text) is not None


class RefuseUnstorableText:
    """ASGI middleware: a 422 `testo_non_valido` for a request carrying such text anywhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if any(map(unstorable, _address_texts(scope))):
            await _refuse(send, 422, _NOT_TEXT)
            return
        kind = _body_kind(scope) if has_body(scope) else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        messages, body = await _read_body(receive)
        if body is None:
            await _refuse(send, 413, _TOO_LARGE)
        elif any(map(unstorable, _body_texts(kind, body))):
            await _refuse(send, 422, _NOT_TEXT)
        else:
            await self.app(scope, _replaying(messages, receive), send)


def _address_texts(scope: Scope) -> Iterator[str]:
    yield scope.get("path", "")
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
        yield name
        yield value


def has_body(scope: Scope) -> bool:
    """A request without a length or chunks has no body (HTTP/1.1): nothing to read (a GET)."""
    for name, value in scope.get("headers", ()):
        if (name == b"content-length" and value != b"0") or name == b"transfer-encoding":
            return True
    return False


def _body_kind(scope: Scope) -> str | None:
    """JSON also when the type is missing: FastAPI parses such a body as JSON."""
    content_type = next((v for k, v in scope.get("headers", []) if k == b"content-type"), b"").decode("latin-1")
    if not content_type or "json" in content_type:
        return "json"
    if content_type.startswith("application/x-www-form-urlencoded"):
        return "form"
    return None


def _body_texts(kind: str, body: bytes) -> Iterator[str]:
    """Every string of the body (names and values); an unreadable body is left to the route."""
    if kind == "form":
        for pair in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            yield from pair
        return
    try:
        parsed = json.loads(body) if body else None
    except (ValueError, RecursionError):  # not JSON, not UTF-8, too deep: FastAPI answers those itself
        return
    yield from _strings(parsed)


def _strings(value: Any) -> Iterator[str]:
    """Depth first, without recursion: any nesting json.loads accepted is walked."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


async def _read_body(receive: Receive) -> tuple[list[Message], bytes | None]:
    """The body's messages and bytes; no bytes once it grows past `MAX_TEXT_BODY`."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        if size > MAX_TEXT_BODY:
            return messages, None
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    return messages, b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """The body as it came, then whatever the client sends next (a disconnect)."""
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


async def _refuse(send: Send, status: int, answer: dict[str, str]) -> None:
    body = json.dumps(answer).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
