"""Pairing a tablet: the operator opens `/terminale`, is sent here, and types the code the office
was shown. The tablet then holds the terminal's credential in its cookie; nothing else logs in.

The form is protected before any credential exists by a nonce cookie of its own (a pairing
started by another site cannot be completed in this browser)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from attendance.api.dependencies import SettingsDep, UowDep
from attendance.domain.exceptions import PairingCodeInvalid
from attendance.handlers.pair_terminal import pair_terminal
from attendance.web.routing import now
from attendance.web.session import (
    COOKIE,
    MAX_AGE,
    PAIRING_COOKIE,
    ROOT,
    MaybeTerminalDep,
    clear_cookie,
    pairing_csrf,
    set_cookie,
)
from shared.secrets import new_secret
from shared.web import PageRoute, render
from shared.web.csrf import token_for

router = APIRouter(route_class=PageRoute, include_in_schema=False)
TEMPLATE = "abbina.html"
CodeField = Annotated[str, Form(max_length=40)]


@router.get(f"{ROOT}/abbina")
async def pairing_page(request: Request, paired: MaybeTerminalDep, settings: SettingsDep) -> Response:
    if paired is not None:
        return RedirectResponse(ROOT, status_code=303)
    # A credential the office revoked or replaced: kept (and the page says so) until the tablet
    # pairs again, whichever request of the screen (a refresh, a replay) found it out first.
    return _form(request, settings, {"revoked": COOKIE in request.cookies})


@router.post(f"{ROOT}/abbina", dependencies=[Depends(pairing_csrf)])
async def pair(request: Request, code: CodeField, uow: UowDep, settings: SettingsDep) -> Response:
    try:
        issued = await pair_terminal(uow, code, now())
    except PairingCodeInvalid as error:
        return _form(request, settings, {"errors": {"code": error.message}, "code": code}, status=400)
    response = RedirectResponse(ROOT, status_code=303)
    set_cookie(response, COOKIE, issued.token, MAX_AGE, settings)
    clear_cookie(response, PAIRING_COOKIE, settings)
    return response


def _form(request: Request, settings: SettingsDep, context: dict[str, object], status: int = 200) -> Response:
    nonce = request.cookies.get(PAIRING_COOKIE) or new_secret()
    defaults: dict[str, object] = {
        "errors": {},
        "code": "",
        "revoked": False,
        "breadcrumb": [("Abbina il terminale", "")],
    }
    response = render(request, TEMPLATE, defaults | context | {"pairing_token": token_for(nonce)}, status=status)
    set_cookie(response, PAIRING_COOKIE, nonce, 600, settings)
    response.headers["Cache-Control"] = "no-store"
    return response
