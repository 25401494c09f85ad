"""The portal's pages: the parents' portal and the office's back-office (`/ufficio`), on the
shared web foundation."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from accounts.adapters.oidc import IdentityProvider
from accounts.config import AccountsSettings
from accounts.web import (
    assistance,
    children,
    contacts,
    desk,
    labels,
    login,
    movements,
    notices,
    office,
    office_assistance,
    office_calendar,
    office_families,
    office_kitchen,
    office_money,
    office_password,
    office_staff,
    portal,
    statements,
    terminals,
    top_up,
)
from accounts.web.session import LOGIN_COOKIE, csrf
from shared.errors import RefettorioError
from shared.web import Site, install_web

TEMPLATES = Path(__file__).parent / "templates"


def install(app: FastAPI, settings: AccountsSettings, error_status: dict[type[RefettorioError], int]) -> None:
    site = Site(
        municipality=settings.municipality_name,
        office_address=settings.office_address,
        office_email=settings.office_email,
        office_phone=settings.office_phone,
        office_hours=settings.office_hours,
    )
    app.state.identity_provider = IdentityProvider(settings)
    # Only the login under way lives in this signed cookie; the session itself is server-side.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie=LOGIN_COOKIE,
        max_age=600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    routers = [portal.router, login.router, desk.router]
    routers += [children.router, movements.router, top_up.router, notices.router, statements.router]
    routers += [contacts.router, assistance.router]
    if settings.staff_password_login:
        routers.append(office_password.router)  # before the office's own: no staff session needed
    routers += [office.router, office_families.router, office_money.router, office_staff.router]
    routers += [office_assistance.router, terminals.router, office_calendar.router, office_kitchen.router]
    install_web(app, site=site, templates=TEMPLATES, csrf=csrf, routers=routers, error_status=error_status)
    app.state.templates.env.filters.update(labels.FILTERS)
