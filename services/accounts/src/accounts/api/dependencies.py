from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from accounts.config import AccountsSettings
from shared.db import UnitOfWork
from shared.http import bearer_token, same_secret, unauthorised
from shared.service import Infrastructure


def infrastructure(request: Request) -> Infrastructure:
    infra: Infrastructure = request.app.state.infra
    return infra


InfraDep = Annotated[Infrastructure, Depends(infrastructure)]


def unit_of_work(infra: InfraDep) -> UnitOfWork:
    return infra.unit_of_work()


UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]


def require_office(infra: InfraDep, token: Annotated[str | None, Depends(bearer_token)]) -> None:
    """The school office's credential (a single token until users and roles land)."""
    settings = infra.settings
    assert isinstance(settings, AccountsSettings)
    if not same_secret(token, settings.office_token):
        raise unauthorised()


OfficeOnly = Depends(require_office)
