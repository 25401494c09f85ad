"""Members of staff for the back-office's tests: registered by fiscal code (as an administrator
does), logged in through the OIDC provider (SPID) as anyone is, never a forged session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.adapters.argon2_passwords import Argon2Passwords
from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.domain.users import Principal, Role
from accounts.handlers import users
from testkit.data import tax_code
from testkit.oidc import ProviderProcess, log_in, spid_claims

INSTALLER = Principal(None, Role.ADMIN, name="Installazione")  # who registers the first administrator
SESSION_COOKIE = "refettorio_sessione"


@dataclass(frozen=True)
class Staff:
    user_id: uuid.UUID
    name: str
    token: str  # the session: a cookie for the pages, a bearer token for the API

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def registered(engine: AsyncEngine, role: Role, name: str) -> tuple[uuid.UUID, str]:
    code = tax_code()
    new = users.NewStaff(code, f"{uuid.uuid4().hex[:8]}@comune.example.it", name, role)
    user_id = await users.create_staff(SqlAccountsUnitOfWork(engine, "accounts"), Argon2Passwords(), INSTALLER, new)
    return user_id, code


async def logged_in_staff(
    portal: httpx.AsyncClient, provider: ProviderProcess, engine: AsyncEngine, role: Role, name: str = "Giovanna Neri"
) -> Staff:
    user_id, code = await registered(engine, role, name)
    sub = f"staff-{uuid.uuid4().hex[:8]}"
    first, last = name.split(" ", 1)
    provider.add(sub, spid_claims(code, first, last))
    back = await log_in(portal, sub)
    assert back.status_code == 303 and back.headers["location"] == "/ufficio", back.text
    return Staff(user_id, name, str(portal.cookies[SESSION_COOKIE]))
