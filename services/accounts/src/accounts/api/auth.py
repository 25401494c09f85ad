"""Logout for API clients, and (only where `ACCOUNTS_STAFF_PASSWORD_LOGIN` turns it on) the staff
password login and password reset. Parents and, by default, staff log in with SPID or CIE
(`web/login.py`); the session they get there is also a bearer token here."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from accounts.api.dependencies import PasswordsDep, PrincipalDep, SettingsDep, UowDep
from accounts.handlers import auth
from shared.dependencies import TokenDep

router = APIRouter(prefix="/auth", tags=["auth"])
passwords = APIRouter(prefix="/auth", tags=["auth"])  # mounted only with staff password logins on


class Credentials(BaseModel):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^\x00\s]+@[^\x00\s]+$")
    password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    token: str
    expires_at: datetime
    role: str
    account_id: str | None


class ResetAsked(BaseModel):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^\x00\s]+@[^\x00\s]+$")


class NewPassword(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    password: str = Field(min_length=10, max_length=200)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@passwords.post("/login")
async def login(
    body: Credentials, request: Request, uow: UowDep, passwords: PasswordsDep, settings: SettingsDep
) -> SessionOut:
    attempt = auth.PasswordLogin(body.email, body.password, client_address(request))
    session = await auth.login(uow, passwords, settings.login_throttle, settings.session_rules, attempt)
    p = session.principal
    return SessionOut(
        token=session.token,
        expires_at=session.expires_at,
        role=p.role.value,
        account_id=str(p.account_id) if p.account_id else None,
    )


@passwords.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
async def ask_reset(body: ResetAsked, request: Request, uow: UowDep, settings: SettingsDep) -> dict[str, str]:
    """A link to the staff member's own email, if the address is one (the answer is the same
    either way); limited per email and per client address (429)."""
    asked = auth.ResetRequest(body.email, client_address(request))
    await auth.request_password_reset(uow, settings.reset_throttle, settings.reset_links, asked)
    return {
        "message": "Se l'indirizzo è di un utente dell'Ufficio Scuola, riceverà un collegamento per la nuova password."
    }


@passwords.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_reset(body: NewPassword, uow: UowDep, passwords: PasswordsDep) -> None:
    await auth.reset_password(uow, passwords, body.token, body.password)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(who: PrincipalDep, token: TokenDep, uow: UowDep) -> None:
    await auth.logout(uow, token or "")
