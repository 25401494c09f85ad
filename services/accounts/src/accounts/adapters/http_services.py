"""The other services' internal HTTP APIs, called with the service credential through one
connection pool for the whole process (opened and closed with the app), naming the person the
gateway acts for (`shared.acting`): a token minted per call, for the service called.

A 4xx answer is passed on to the caller with its code and Italian message; an unreachable
service or a 5xx becomes 503, never a silent default.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from accounts.domain.dashboard import Backlog
from shared.acting import HEADER, Person, PersonSigner
from shared.http import HttpError


class ServiceClient:
    def __init__(self, token: str, signer: PersonSigner, timeout: float = 10.0) -> None:
        self._token = token
        self._signer = signer
        self._timeout = timeout
        self._http: httpx.AsyncClient | None = None

    def to(self, service: str, person: Person | None) -> ServiceCaller:
        """Calls to `service` for `person` (None: for nobody, the service's own business)."""
        return ServiceCaller(self, service, person)

    @contextlib.asynccontextmanager
    async def open(self, *_: object) -> AsyncIterator[None]:
        """The pool's lifetime: the app's (a `ServiceParts.background` entry)."""
        headers = {"Authorization": f"Bearer {self._token}"}
        async with httpx.AsyncClient(timeout=self._timeout, headers=headers) as http:
            self._http = http
            try:
                yield
            finally:
                self._http = None

    async def call(
        self, method: str, url: str, *, service: str = "", person: Person | None = None, **kwargs: Any
    ) -> httpx.Response:
        if self._http is None:
            raise RuntimeError("the service client is used outside the app's lifespan")
        headers = {HEADER: self._signer.mint(person, service)} if person is not None else {}
        try:
            response = await self._http.request(method, url, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            raise _unavailable() from error
        if response.status_code >= 500:
            raise _unavailable()
        if response.status_code >= 400:
            raise _passed_on(response)
        return response


class ServiceCaller:
    """One service, for one person: what a gateway adapter (`http_attendance`...) is built on."""

    def __init__(self, client: ServiceClient, service: str, person: Person | None) -> None:
        self._client, self._service, self._person = client, service, person

    async def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return await self._client.call(method, url, service=self._service, person=self._person, **kwargs)


async def outbox_of(caller: ServiceCaller, base_url: str, service: str) -> Backlog:
    """The service's outbox backlog (`shared.backlog`), asked for the person."""
    found = (await caller.call("GET", f"{base_url}/internal/outbox")).json()
    return Backlog(service, int(found["pending"]), int(found["stuck"]), float(found["oldest_seconds"]))


def _unavailable() -> HttpError:
    return HttpError(503, "servizio_non_disponibile", "Servizio momentaneamente non disponibile. Riprova tra poco.")


def _passed_on(response: httpx.Response) -> HttpError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    return HttpError(
        response.status_code,
        str(body.get("code", "richiesta_non_valida")),
        str(body.get("message", "Richiesta non valida.")),
    )
