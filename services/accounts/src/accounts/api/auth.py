"""Staff password login and logout for API clients. Parents log in with SPID or CIE (`web/login.py`);
the session they get there is also a bearer token here."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from accounts.api.dependencies import PasswordsDep, PrincipalDep, SettingsDep, UowDep
from accounts.handlers import auth
from shared.dependencies import TokenDep

router = APIRouter(prefix="/auth", tags=["auth"])


class Credentials(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    token: str
    expires_at: datetime
    role: str
    account_id: str | None


@router.post("/login")
async def login(
    body: Credentials, request: Request, uow: UowDep, passwords: PasswordsDep, settings: SettingsDep
) -> SessionOut:
    address = request.client.host if request.client else "unknown"
    attempt = auth.PasswordLogin(body.email, body.password, address)
    session = await auth.login(uow, passwords, settings.login_throttle, settings.session_rules, attempt)
    p = session.principal
    return SessionOut(
        token=session.token,
        expires_at=session.expires_at,
        role=p.role.value,
        account_id=str(p.account_id) if p.account_id else None,
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(who: PrincipalDep, token: TokenDep, uow: UowDep) -> None:
    await auth.logout(uow, token or "")
