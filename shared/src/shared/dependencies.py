"""FastAPI dependencies every service's routes use: the running infrastructure, a unit of work,
the bearer token, and the service credential of internal routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.db import UnitOfWork
from shared.http import bearer_token, same_secret, unauthorised
from shared.service import Infrastructure


def infrastructure(request: Request) -> Infrastructure:
    infra: Infrastructure = request.app.state.infra
    return infra


InfraDep = Annotated[Infrastructure, Depends(infrastructure)]
TokenDep = Annotated[str | None, Depends(bearer_token)]


def unit_of_work(infra: InfraDep) -> UnitOfWork:
    return infra.unit_of_work()


UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]


def require_service(infra: InfraDep, token: TokenDep) -> None:
    """Internal routes answer only another service's credential (`Authorization: Bearer ...`)."""
    if not same_secret(token, infra.settings.service_token):
        raise unauthorised()
