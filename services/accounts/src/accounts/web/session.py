"""The browser's session: an HttpOnly, SameSite=Lax cookie (Secure over HTTPS) holding the
session token, whose digest only is stored (`handlers/auth.py`). Pages read it here."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request, Response

from accounts.api.dependencies import auth_parts, gateways_for, visible_account
from accounts.config import AccountsSettings
from accounts.domain.users import Principal
from accounts.handlers.auth import Session, authenticate
from accounts.handlers.ports import Gateways
from shared.db import ConnectionLease
from shared.dependencies import LeaseDep
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


async def _principal(request: Request, lease: ConnectionLease, touch: bool) -> Principal:
    token = request.cookies.get(COOKIE)
    if not token:
        raise LoginRequired()
    uow, settings = auth_parts(request, lease)
    found = await authenticate(uow, token, settings.session_rules, touch)
    if found is None:
        raise LoginRequired()
    return found


async def person(request: Request, lease: LeaseDep) -> Principal:
    return await _principal(request, lease, touch=True)


async def watcher(request: Request, lease: LeaseDep) -> Principal:
    """An open page asking for updates: authenticated, but not activity (see idle expiry)."""
    return await _principal(request, lease, touch=False)


async def maybe_person(request: Request, lease: LeaseDep) -> Principal | None:
    try:
        return await _principal(request, lease, touch=True)
    except LoginRequired:
        return None


PersonDep = Annotated[Principal, Depends(person)]
WatcherDep = Annotated[Principal, Depends(watcher)]
MaybePersonDep = Annotated[Principal | None, Depends(maybe_person)]


async def family(account_id: uuid.UUID, who: PersonDep) -> uuid.UUID:
    """Another family's page is "not found", as in the API."""
    return visible_account(account_id, who)


async def watched_family(account_id: uuid.UUID, who: WatcherDep) -> uuid.UUID:
    return visible_account(account_id, who)


FamilyDep = Annotated[uuid.UUID, Depends(family)]
WatchedFamilyDep = Annotated[uuid.UUID, Depends(watched_family)]


async def page_gateways(request: Request, who: PersonDep) -> Gateways:
    """The other services, called for the person at the browser."""
    return gateways_for(request, who)


async def watcher_gateways(request: Request, who: WatcherDep) -> Gateways:
    return gateways_for(request, who)


PageGatewaysDep = Annotated[Gateways, Depends(page_gateways)]
WatcherGatewaysDep = Annotated[Gateways, Depends(watcher_gateways)]
