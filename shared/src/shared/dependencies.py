"""FastAPI dependencies every service's routes use: the running infrastructure, a unit of work,
the bearer token, and the service credential of internal routes.

All are `async def` although none awaits: FastAPI runs a plain `def` dependency in its thread
pool, a thread hop per dependency per request, which under load cost more than the request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from shared.http import bearer_token, same_secret, unauthorised
from shared.service import Infrastructure
from shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


async def infrastructure(request: Request) -> Infrastructure:
    infra: Infrastructure = request.app.state.infra
    return infra


InfraDep = Annotated[Infrastructure, Depends(infrastructure)]
TokenDep = Annotated[str | None, Depends(bearer_token)]


async def unit_of_work(infra: InfraDep) -> Any:
    """A new unit of work of the service's own class; the handler the route calls enters it."""
    return infra.unit_of_work()


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
