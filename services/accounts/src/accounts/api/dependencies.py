from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import Depends

from accounts.config import AccountsSettings
from accounts.domain.exceptions import AccountNotFound
from accounts.domain.users import Principal, Role
from accounts.handlers.auth import authenticate
from shared.dependencies import InfraDep, TokenDep
from shared.http import HttpError, same_secret, unauthorised


def settings_of(infra: InfraDep) -> AccountsSettings:
    assert isinstance(infra.settings, AccountsSettings)
    return infra.settings


SettingsDep = Annotated[AccountsSettings, Depends(settings_of)]


async def principal(infra: InfraDep, settings: SettingsDep, token: TokenDep) -> Principal:
    """A session token (a staff password login, or the session of a SPID/CIE login in the portal),
    or the office's static token (automation and demo)."""
    if token is None:
        raise unauthorised()
    if same_secret(token, settings.office_token):
        return Principal(None, Role.OFFICE, name="office-token")
    async with infra.engine.begin() as conn:
        found = await authenticate(conn, token, timedelta(minutes=settings.session_idle_minutes))
    if found is None:
        raise unauthorised()
    return found


PrincipalDep = Annotated[Principal, Depends(principal)]


def staff(who: PrincipalDep) -> Principal:
    if not who.is_staff:
        raise HttpError(403, "accesso_negato", "Operazione riservata all'Ufficio Scuola.")
    return who


StaffDep = Annotated[Principal, Depends(staff)]


def admin(who: PrincipalDep) -> Principal:
    if who.role is not Role.ADMIN:
        raise HttpError(403, "accesso_negato", "Operazione riservata agli amministratori.")
    return who


def readable_account(account_id: uuid.UUID, who: PrincipalDep) -> uuid.UUID:
    """A parent asking for another family's account is told it does not exist (404, not 403)."""
    if not who.may_see(account_id):
        raise AccountNotFound(account_id)
    return account_id


AccountDep = Annotated[uuid.UUID, Depends(readable_account)]
