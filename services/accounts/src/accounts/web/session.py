"""The browser's session: an HttpOnly, SameSite=Lax cookie (Secure over HTTPS) holding the
session token, whose digest only is stored (`handlers/auth.py`). Pages read it here."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request, Response

from accounts.api.dependencies import SettingsDep
from accounts.config import AccountsSettings
from accounts.domain.exceptions import AccountNotFound
from accounts.domain.users import Principal
from accounts.handlers.auth import Session, authenticate
from shared.dependencies import InfraDep
from shared.service import Infrastructure
from shared.web import CsrfProtection, LoginRequired

COOKIE = "refettorio_sessione"
LOGIN_COOKIE = "refettorio_accesso"  # the login under way (state, nonce, PKCE), ten minutes
csrf = CsrfProtection(COOKIE)


def set_session_cookie(response: Response, session: Session, settings: AccountsSettings) -> None:
    response.set_cookie(
        COOKIE,
        session.token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def clear_session_cookie(response: Response, settings: AccountsSettings) -> None:
    response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=settings.secure_cookies)


async def _principal(request: Request, infra: Infrastructure, settings: AccountsSettings, touch: bool) -> Principal:
    token = request.cookies.get(COOKIE)
    if not token:
        raise LoginRequired()
    async with infra.engine.begin() as conn:
        found = await authenticate(conn, token, timedelta(minutes=settings.session_idle_minutes), touch)
    if found is None:
        raise LoginRequired()
    return found


async def person(request: Request, infra: InfraDep, settings: SettingsDep) -> Principal:
    return await _principal(request, infra, settings, touch=True)


async def watcher(request: Request, infra: InfraDep, settings: SettingsDep) -> Principal:
    """An open page asking for updates: authenticated, but not activity (see idle expiry)."""
    return await _principal(request, infra, settings, touch=False)


async def maybe_person(request: Request, infra: InfraDep, settings: SettingsDep) -> Principal | None:
    try:
        return await _principal(request, infra, settings, touch=True)
    except LoginRequired:
        return None


PersonDep = Annotated[Principal, Depends(person)]
WatcherDep = Annotated[Principal, Depends(watcher)]
MaybePersonDep = Annotated[Principal | None, Depends(maybe_person)]


def _readable(account_id: uuid.UUID, who: Principal) -> uuid.UUID:
    """Another family's page is "not found", as in the API (`readable_account`)."""
    if not who.may_see(account_id):
        raise AccountNotFound(account_id)
    return account_id


def family(account_id: uuid.UUID, who: PersonDep) -> uuid.UUID:
    return _readable(account_id, who)


def watched_family(account_id: uuid.UUID, who: WatcherDep) -> uuid.UUID:
    return _readable(account_id, who)


FamilyDep = Annotated[uuid.UUID, Depends(family)]
WatchedFamilyDep = Annotated[uuid.UUID, Depends(watched_family)]
