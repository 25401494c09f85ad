"""FastAPI dependencies every service's routes use: the running infrastructure, a unit of work,
the bearer token, the service credential of internal routes, and the person the gateway acts for.

All are `async def` although none awaits: FastAPI runs a plain `def` dependency in its thread
pool, a thread hop per dependency per request, which under load cost more than the request. And
they are shallow: FastAPI solves a dependency's whole tree again wherever it appears (its cache
saves only the call), some 30 µs a node on our machine, so the ones on every request take the
`Request` and read the app's state themselves rather than depending on `infrastructure`."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from shared.acting import HEADER, InvalidPerson, Person, PersonVerifier
from shared.db import ConnectionLease
from shared.http import HttpError, bearer_token, same_secret, unauthorised
from shared.service import Infrastructure
from shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


def infra_of(request: Request) -> Infrastructure:
    infra: Infrastructure = request.app.state.infra
    return infra


async def infrastructure(request: Request) -> Infrastructure:
    return infra_of(request)


InfraDep = Annotated[Infrastructure, Depends(infrastructure)]
TokenDep = Annotated[str | None, Depends(bearer_token)]


async def connection_lease(request: Request) -> AsyncIterator[ConnectionLease]:
    """The request's database connection: its units of work (the session's lookup, the route's)
    use one after another, checked out once and returned when the request is done."""
    lease = ConnectionLease(infra_of(request).engine)
    try:
        yield lease
    finally:
        await lease.release()


LeaseDep = Annotated[ConnectionLease, Depends(connection_lease)]


async def unit_of_work(request: Request, lease: LeaseDep) -> Any:
    """A new unit of work of the service's own class, on the request's connection; the handler
    the route calls enters it."""
    return infra_of(request).unit_of_work(lease)


def settings_of(kind: type[S]) -> Callable[[Infrastructure], Awaitable[S]]:
    """A dependency on the service's own settings: `Annotated[MySettings, Depends(settings_of(MySettings))]`."""

    async def settings(infra: InfraDep) -> S:
        if not isinstance(infra.settings, kind):
            raise TypeError(f"this app runs with {type(infra.settings).__name__}, not {kind.__name__}")
        return infra.settings

    return settings


async def require_service(infra: InfraDep, token: TokenDep) -> None:
    """Internal routes answer only another service's credential (`Authorization: Bearer ...`)."""
    if not same_secret(token, infra.settings.service_token):
        raise unauthorised()


@functools.cache
def _verifier(verify_key: str, audience: str) -> PersonVerifier:
    return PersonVerifier(verify_key, audience)


async def acting_person(request: Request, infra: InfraDep) -> Person | None:
    """The person the gateway says this call is for (`shared.acting`), if it names one; a header
    that does not verify is refused (401), never ignored."""
    token = request.headers.get(HEADER)
    if token is None:
        return None
    verify_key = getattr(infra.settings, "person_verify_key", None)
    if verify_key is None:
        raise unauthorised()
    try:
        return _verifier(verify_key, infra.name).verify(token)
    except InvalidPerson:
        raise unauthorised() from None


MaybePersonDep = Annotated[Person | None, Depends(acting_person)]


async def named_person(person: MaybePersonDep) -> Person:
    """Routes read for someone: the gateway must name them (any role); the service token alone is not enough."""
    if person is None:
        raise HttpError(401, "persona_mancante", "Operazione da fare dal portale, a nome di chi la chiede.")
    return person


async def staff_person(person: MaybePersonDep) -> Person:
    """Office routes: a member of staff (or the office's automation), named by the gateway. The
    service token alone is not enough: a person is always behind an office action."""
    if person is None:
        raise HttpError(
            401, "persona_mancante", "Operazione dell'Ufficio Scuola: va fatta dal portale, a nome di chi la fa."
        )
    if not person.is_staff:
        raise HttpError(403, "accesso_negato", "Operazione riservata all'Ufficio Scuola.")
    return person


StaffPersonDep = Annotated[Person, Depends(staff_person)]
