"""The staff password login, only where `ACCOUNTS_STAFF_PASSWORD_LOGIN` turns it on: the login
form, "Recupera password" (a link to the person's own email) and the new password the link
leads to. Staff otherwise enter with SPID or CIE, as parents do.

No session exists yet on these forms, so their CSRF token is a random value kept in the signed
cookie of the login under way (`request.session`), checked on the post (synchroniser token).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from accounts.api.auth import client_address
from accounts.api.dependencies import PasswordsDep, SettingsDep, UowDep
from accounts.domain.exceptions import AccountsError
from accounts.handlers import auth
from accounts.web.session import set_session_cookie
from shared.http import same_secret
from shared.secrets import new_secret
from shared.web import PageRoute, render
from shared.web.csrf import refused
from shared.web.forms import form_values, parse_form

router = APIRouter(prefix="/ufficio", route_class=PageRoute, include_in_schema=False)
KEY = "refettorio_csrf_accesso"


class PasswordFields(BaseModel):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^\x00\s]+@[^\x00\s]+$")
    password: str = Field(min_length=1, max_length=200)


class ResetFields(BaseModel):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^\x00\s]+@[^\x00\s]+$")


class NewPasswordFields(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    password: str = Field(min_length=10, max_length=200)
    repeated: str = Field(min_length=1, max_length=200)


def _token(request: Request) -> str:
    request.session.setdefault(KEY, new_secret())
    return str(request.session[KEY])


def _checked(request: Request, values: dict[str, object]) -> None:
    kept, sent = str(request.session.get(KEY, "")), str(values.get("csrf_token", ""))
    if not kept or not same_secret(sent, kept):
        raise refused()


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    trail = [("Ufficio Scuola", "/ufficio"), ("Accesso con password", "")]
    return render(request, template, {"form_token": _token(request), "breadcrumb": trail} | context, status=status)


@router.get("/accedi")
async def login_form(request: Request) -> Response:
    return _page(request, "ufficio/password_accesso.html", {"values": {}, "errors": {}})


@router.post("/accedi")
async def login(request: Request, uow: UowDep, passwords: PasswordsDep, settings: SettingsDep) -> Response:
    values = form_values(await request.form())
    _checked(request, values)
    parsed, errors = parse_form(PasswordFields, values)
    if parsed is None:
        return _page(request, "ufficio/password_accesso.html", {"values": values, "errors": errors}, 422)
    attempt = auth.PasswordLogin(parsed.email, parsed.password, client_address(request))
    try:
        session = await auth.login(uow, passwords, settings.login_throttle, settings.session_rules, attempt)
    except AccountsError as refusal:
        context = {"values": {"email": parsed.email}, "errors": {"password": refusal.message}}
        return _page(request, "ufficio/password_accesso.html", context, 401)
    response = RedirectResponse("/ufficio", status_code=303)
    set_session_cookie(response, session, settings)
    return response


@router.get("/password")
async def reset_form(request: Request) -> Response:
    return _page(request, "ufficio/password_recupero.html", {"values": {}, "errors": {}, "sent": False})


@router.post("/password")
async def ask_reset(request: Request, uow: UowDep, settings: SettingsDep) -> Response:
    values = form_values(await request.form())
    _checked(request, values)
    parsed, errors = parse_form(ResetFields, values)
    if parsed is None:
        return _page(
            request, "ufficio/password_recupero.html", {"values": values, "errors": errors, "sent": False}, 422
        )
    asked = auth.ResetRequest(parsed.email, client_address(request))
    await auth.request_password_reset(uow, settings.reset_throttle, settings.reset_links, asked)
    return _page(request, "ufficio/password_recupero.html", {"values": {}, "errors": {}, "sent": True})


@router.get("/password/nuova")
async def new_password_form(request: Request, token: str = "") -> Response:
    return _page(request, "ufficio/password_nuova.html", {"token": token, "errors": {}, "done": False})


@router.post("/password/nuova")
async def new_password(request: Request, uow: UowDep, passwords: PasswordsDep) -> Response:
    values = form_values(await request.form())
    _checked(request, values)
    parsed, errors = parse_form(NewPasswordFields, values)
    if parsed is not None and parsed.password != parsed.repeated:
        errors = {"repeated": "Le due password non coincidono: scrivila di nuovo uguale."}
    token = str(values.get("token", ""))
    if parsed is None or errors:
        return _page(request, "ufficio/password_nuova.html", {"token": token, "errors": errors, "done": False}, 422)
    try:
        await auth.reset_password(uow, passwords, parsed.token, parsed.password)
    except AccountsError as refusal:
        context = {"token": token, "errors": {"password": refusal.message}, "done": False}
        return _page(request, "ufficio/password_nuova.html", context, 400)
    return _page(request, "ufficio/password_nuova.html", {"token": "", "errors": {}, "done": True})
