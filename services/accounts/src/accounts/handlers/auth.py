"""Sessions: opened by SPID/CIE (parents, through the identity provider) or by a password (staff).

- A session is a random token the browser keeps in an HttpOnly cookie, or an API client as a
  bearer token; only its SHA-256 digest is stored. It ends at logout, `session_hours` after
  the login, or after `session_idle_minutes` without a request that counts as activity.
- SPID/CIE: the person is the fiscal code. A user with that fiscal code gets a session; the
  holder of an account, the first time, becomes a user of it; anyone else is not enrolled.
- Password logins (staff only: parents have no password) are throttled per email and per
  client address: after `login_max_failures` failures in `login_window_minutes`, refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters import secrets
from accounts.adapters.tables import account, app_user, login_failure, user_session
from accounts.config import AccountsSettings
from accounts.domain.exceptions import InvalidCredentials, LoginLocked, NotEnrolled
from accounts.domain.identity import Identity, LoginMethod
from accounts.domain.users import Principal, Role
from shared.db import UnitOfWork


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime
    principal: Principal


def _now() -> datetime:
    return datetime.now(UTC)


def _principal(user: Any) -> Principal:
    name = user.display_name or user.email or ""
    return Principal(user.id, Role(user.role), user.account_id, name, user.is_holder)


async def _open_session(uow: UnitOfWork, settings: AccountsSettings, user: Any, method: LoginMethod) -> Session:
    token = secrets.new_token()
    expires_at = _now() + timedelta(hours=settings.session_hours)
    await uow.connection.execute(
        user_session.insert().values(
            token_digest=secrets.digest(token), user_id=user.id, expires_at=expires_at, method=method.value
        )
    )
    await uow.commit()
    return Session(token, expires_at, _principal(user))


async def login_with_identity(
    uow: UnitOfWork, settings: AccountsSettings, identity: Identity, method: LoginMethod
) -> Session:
    """The identity provider vouched for `identity`: a session, or `NotEnrolled` (and none)."""
    user_id = await _user_of(uow.connection, identity.tax_code)
    if user_id is None:
        raise NotEnrolled()
    user = (
        await uow.connection.execute(
            update(app_user)
            .where(app_user.c.id == user_id)
            .values(display_name=identity.display_name or None)
            .returning(*app_user.c)
        )
    ).one()
    return await _open_session(uow, settings, user, method)


async def _user_of(conn: AsyncConnection, tax_code: str) -> uuid.UUID | None:
    found = (
        await conn.execute(select(app_user.c.id, app_user.c.active).where(app_user.c.tax_code == tax_code))
    ).first()
    if found is not None:
        return found.id if found.active else None
    holder_of = await conn.scalar(select(account.c.id).where(account.c.holder_tax_code == tax_code))
    if holder_of is None:
        return None
    await conn.execute(
        insert(app_user)
        .values(id=uuid.uuid4(), role=Role.PARENT.value, account_id=holder_of, tax_code=tax_code, is_holder=True)
        .on_conflict_do_nothing(index_elements=[app_user.c.tax_code])
    )
    user_id: uuid.UUID | None = await conn.scalar(select(app_user.c.id).where(app_user.c.tax_code == tax_code))
    return user_id


async def login(uow: UnitOfWork, settings: AccountsSettings, email: str, password: str, address: str) -> Session:
    """A staff member's password login."""
    conn = uow.connection
    subjects = [f"email:{email.lower()}", f"address:{address}"]
    if await _locked(conn, settings, subjects):
        raise LoginLocked(settings.login_window_minutes)
    user = (
        await conn.execute(
            select(app_user).where(
                app_user.c.email == email.lower(), app_user.c.active, app_user.c.password_hash.is_not(None)
            )
        )
    ).first()
    # An unknown email costs as long as a wrong password (the dummy hash is verified).
    if not await secrets.verify_password(password, user.password_hash if user else None) or user is None:
        await conn.execute(login_failure.insert(), [{"subject": s} for s in subjects])
        await uow.commit()  # the failure counts even though the login is refused
        raise InvalidCredentials()
    await conn.execute(delete(login_failure).where(login_failure.c.subject == subjects[0]))
    return await _open_session(uow, settings, user, LoginMethod.PASSWORD)


async def _locked(conn: AsyncConnection, settings: AccountsSettings, subjects: list[str]) -> bool:
    window_start = _now() - timedelta(minutes=settings.login_window_minutes)
    counts: dict[str, int] = dict(
        (
            await conn.execute(
                select(login_failure.c.subject, func.count())
                .where(login_failure.c.subject.in_(subjects), login_failure.c.failed_at > window_start)
                .group_by(login_failure.c.subject)
            )
        ).all()
    )
    return (
        counts.get(subjects[0], 0) >= settings.login_max_failures
        or counts.get(subjects[1], 0) >= settings.login_max_failures_per_address
    )


async def authenticate(conn: AsyncConnection, token: str, idle: timedelta, touch: bool = True) -> Principal | None:
    """The session's user, if the session is live; `touch` counts the request as activity
    (an open page asking for updates does not, or a session would never go idle)."""
    now = _now()
    live = (
        user_session.c.token_digest == secrets.digest(token),
        user_session.c.revoked_at.is_(None),
        user_session.c.expires_at > now,
        user_session.c.last_seen_at > now - idle,
    )
    if touch:
        statement: Any = update(user_session).where(*live).values(last_seen_at=now).returning(user_session.c.user_id)
    else:
        statement = select(user_session.c.user_id).where(*live)
    user_id = await conn.scalar(statement)
    if user_id is None:
        return None
    user = (await conn.execute(select(app_user).where(app_user.c.id == user_id, app_user.c.active))).first()
    return _principal(user) if user else None


async def logout(uow: UnitOfWork, token: str) -> None:
    await uow.connection.execute(
        update(user_session)
        .where(user_session.c.token_digest == secrets.digest(token), user_session.c.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    await uow.commit()
