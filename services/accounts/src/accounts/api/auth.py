"""Login, logout, password reset."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from accounts.api.dependencies import PrincipalDep, SettingsDep
from accounts.handlers import auth
from shared.dependencies import TokenDep, UowDep

router = APIRouter(prefix="/auth", tags=["auth"])


class Credentials(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    token: str
    expires_at: datetime
    role: str
    account_id: str | None


class ResetRequest(BaseModel):
    email: str = Field(min_length=3, max_length=254)


class ResetConfirm(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    new_password: str = Field(min_length=10, max_length=200)


@router.post("/login")
async def login(body: Credentials, request: Request, uow: UowDep, settings: SettingsDep) -> SessionOut:
    address = request.client.host if request.client else "unknown"
    async with uow:
        session = await auth.login(uow, settings, body.email, body.password, address)
    p = session.principal
    return SessionOut(
        token=session.token,
        expires_at=session.expires_at,
        role=p.role.value,
        account_id=str(p.account_id) if p.account_id else None,
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(who: PrincipalDep, token: TokenDep, uow: UowDep) -> None:
    async with uow:
        await auth.logout(uow, token or "")


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
async def request_reset(body: ResetRequest, uow: UowDep, settings: SettingsDep) -> dict[str, str]:
    async with uow:
        await auth.request_password_reset(uow, settings, body.email)
    return {"message": "Se l'indirizzo è registrato, riceverai un'email con il link per reimpostare la password."}


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_reset(body: ResetConfirm, uow: UowDep) -> None:
    async with uow:
        await auth.confirm_password_reset(uow, body.token, body.new_password)
