"""The request-level refusal of NUL and lone surrogates, on a small app without I/O."""

from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel

from shared.http import install_error_handlers
from shared.text_guard import MAX_TEXT_BODY, RefuseUnstorableText, unstorable


class Note(BaseModel):
    text: str
    tags: list[str] = []


def small_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app, {})
    app.add_middleware(RefuseUnstorableText)

    @app.post("/notes/{name}")
    async def note(name: str, body: Note, q: str = "") -> dict[str, str]:
        return {"name": name, "text": body.text, "q": q}

    @app.post("/form")
    async def form(request: Request) -> dict[str, str]:  # the portal's forms, without python-multipart
        return dict(parse_qsl((await request.body()).decode()))

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=small_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


def test_what_is_unstorable() -> None:
    assert unstorable("a\x00b") and unstorable("\ud800") and unstorable("x\udfff")
    assert not unstorable("Città 😀 \u00ff \uffff") and not unstorable("")


async def test_text_anywhere_in_the_request_is_refused(client: httpx.AsyncClient) -> None:
    json = {"Content-Type": "application/json"}
    refusals = [
        await client.post("/notes/a%00b", json={"text": "ok"}),
        await client.post("/notes/a", params={"q": "x\x00"}, json={"text": "ok"}),
        await client.post("/notes/a", params={"x\x00": "q"}, json={"text": "ok"}),
        await client.post("/notes/a", content=rb'{"text": "a\u0000"}', headers=json),
        await client.post("/notes/a", content=rb'{"text": "a\ud800b"}', headers=json),
        await client.post("/notes/a", content=rb'{"text": "ok", "tags": ["\udc00"]}', headers=json),
        await client.post("/notes/a", content=rb'{"text": "ok", "\u0000": 1}', headers=json),
        await client.post("/notes/a", content=rb'{"text": "a\u0000"}'),  # no type: FastAPI reads JSON
        await client.post("/form", data={"text": "a\x00"}),
    ]
    for answer in refusals:
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "testo_non_valido"
        assert "caratteri non ammessi" in answer.json()["message"]


async def test_everything_else_passes_untouched(client: httpx.AsyncClient) -> None:
    paired = rb'{"text": "emoji \ud83d\ude00", "tags": ["Citt\u00e0"]}'
    answer = await client.post("/notes/scuola-città", content=paired, headers={"Content-Type": "application/json"})
    assert answer.json() == {"name": "scuola-città", "text": "emoji 😀", "q": ""}
    assert (await client.post("/form", data={"text": "Sciopero"})).json() == {"text": "Sciopero"}
    xml = b"<a>\x00</a>"  # neither JSON nor a form: its own parser decides
    assert (await client.post("/raw", content=xml, headers={"Content-Type": "text/xml"})).json() == {"size": 8}
    deep = b"[" * 100_000 + b"]" * 100_000  # too deep for json.loads: left to FastAPI, which refuses it
    big = b'{"text": "' + b"x" * MAX_TEXT_BODY + b'"}'
    too_large = await client.post("/notes/a", content=big, headers={"Content-Type": "application/json"})
    assert (too_large.status_code, too_large.json()["code"]) == (413, "richiesta_troppo_grande")
    too_deep = await client.post("/notes/a", content=deep, headers={"Content-Type": "application/json"})
    assert too_deep.status_code in (400, 422) and "code" in too_deep.json()
