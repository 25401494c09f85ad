"""Entering and leaving the portal: "Entra con SPID", "Entra con CIE", the way back from the
identity provider, and "Esci" (which also offers the provider's own logout)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from accounts.adapters.oidc import IdentityProvider
from accounts.api.dependencies import SettingsDep, UowDep
from accounts.domain.exceptions import NotEnrolled
from accounts.domain.identity import LoginMethod, identity_from_claims
from accounts.handlers import auth
from accounts.web.session import COOKIE, MaybePersonDep, clear_session_cookie, csrf, set_session_cookie
from shared.web import PageRoute, render

# Every state-changing request of a page needs the CSRF token (safe methods pass).
router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
METHOD_KEY = "refettorio_metodo"


def provider(request: Request) -> IdentityProvider:
    found: IdentityProvider = request.app.state.identity_provider
    return found


@router.get("/accedi")
async def login_choice(request: Request, who: MaybePersonDep) -> Response:
    if who is not None and who.account_id is not None:
        return RedirectResponse("/scrivania", status_code=303)
    return render(request, "accedi.html", {"breadcrumb": [("Accedi", "/accedi")]})


@router.get("/accedi/esito")
async def finish_login(request: Request, uow: UowDep, settings: SettingsDep) -> Response:
    claims = await provider(request).claims(request)
    identity = identity_from_claims(claims, settings.oidc_fiscal_code_claims)
    method = LoginMethod(request.session.pop(METHOD_KEY, LoginMethod.SPID.value))
    try:
        session = await auth.login_with_identity(uow, settings.session_rules, identity, method)
    except NotEnrolled as refusal:
        context = {"message": refusal.message, "breadcrumb": [("Accedi", "/accedi")]}
        return render(request, "nessuna_iscrizione.html", context, status=403)
    response = RedirectResponse("/scrivania", status_code=303)
    set_session_cookie(response, session, settings)
    return response


@router.get("/accedi/{method}")
async def start_login(method: Literal["spid", "cie"], request: Request, settings: SettingsDep) -> Response:
    request.session[METHOD_KEY] = method
    params = settings.oidc_spid_params if method == "spid" else settings.oidc_cie_params
    return await provider(request).start(request, f"{settings.portal_url}/accedi/esito", params)


@router.post("/esci")
async def logout(request: Request, uow: UowDep, settings: SettingsDep) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        await auth.logout(uow, token)
    provider_logout = await provider(request).logout_url(after=f"{settings.portal_url}/")
    response = render(request, "uscita.html", {"provider_logout": provider_logout})
    clear_session_cookie(response, settings)
    return response
