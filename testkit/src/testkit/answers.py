"""What a refused request must look like: a 4xx with a machine code and a message for people."""

from __future__ import annotations

from typing import Any

import httpx


def refused(response: httpx.Response, status: int = 422, code: str | None = None) -> dict[str, Any]:
    """Asserts the answer is `status` with `{code, message}` (and `code` when given); returns the body."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("code"), str), body
    assert isinstance(body.get("message"), str), body
    assert code is None or body["code"] == code, body
    return body
