"""Calls to the other services' internal HTTP APIs, with the service credential.

A 4xx answer is passed on to the caller with its code and Italian message; an unreachable
service or a 5xx becomes 503, never a silent default.
"""

from __future__ import annotations

from typing import Any

import httpx

from shared.http import HttpError


def _unavailable() -> HttpError:
    return HttpError(503, "servizio_non_disponibile", "Servizio momentaneamente non disponibile. Riprova tra poco.")


async def call(method: str, url: str, token: str, **kwargs: Any) -> httpx.Response:
    try:
        async with httpx.AsyncClient(timeout=10.0, headers={"Authorization": f"Bearer {token}"}) as http:
            response = await http.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        raise _unavailable() from error
    if response.status_code >= 500:
        raise _unavailable()
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = {}
        raise HttpError(
            response.status_code,
            str(body.get("code", "richiesta_non_valida")),
            str(body.get("message", "Richiesta non valida.")),
        )
    return response
