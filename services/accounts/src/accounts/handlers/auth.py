"""Logins, sessions, password resets and user creation.

- Login is throttled per email and per client address: after `login_max_failures` failures in
  `login_window_minutes`, further attempts are refused until the window has passed.
- Sessions are random tokens stored as digests, expiring after `session_hours`, revocable.
- A password reset answers the same whether or not the address exists; the one-time link
  travels in a `notification-requested` event and expires after `password_reset_minutes`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters import secrets
from accounts.adapters.tables import app_user, login_failure, password_reset, user_session
from accounts.config import AccountsSettings
from accounts.domain.exceptions import DuplicateUser, InvalidCredentials, InvalidResetToken, LoginLocked
from accounts.domain.users import Principal, Role
from shared.db import SqlUnitOfWork
from shared.events import NotificationRequested, Template


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime
    principal: Principal


def _now() -> datetime:
    return datetime.now(UTC)


async def create_user(
    uow: SqlUnitOfWork,
    email: str,
    role: Role,
    account_id: uuid.UUID | None,
    password: str | None,
    is_holder: bool = True,
) -> uuid.UUID:
    user_id = uuid.uuid4()
    try:
        await uow.connection.execute(
            app_user.insert().values(
                id=user_id,
                email=email.lower(),
                role=role.value,
                account_id=account_id,
                password_hash=await secrets.hash_password(password) if password else None,
                is_holder=is_holder,
            )
        )
    except IntegrityError as error:
        raise DuplicateUser() from error
    await uow.commit()
    return user_id


async def login(uow: SqlUnitOfWork, settings: AccountsSettings, email: str, password: str, address: str) -> Session:
    conn = uow.connection
    subjects = [f"email:{email.lower()}", f"address:{address}"]
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
    if (
        counts.get(subjects[0], 0) >= settings.login_max_failures
        or counts.get(subjects[1], 0) >= settings.login_max_failures_per_address
    ):
        raise LoginLocked(settings.login_window_minutes)
    user = (await conn.execute(select(app_user).where(app_user.c.email == email.lower(), app_user.c.active))).first()
    if user is None or not await secrets.verify_password(password, user.password_hash):
        await conn.execute(login_failure.insert(), [{"subject": s} for s in subjects])
        await uow.commit()  # the failure counts even though the login is refused
        raise InvalidCredentials()
    await conn.execute(delete(login_failure).where(login_failure.c.subject == subjects[0]))
    token = secrets.new_token()
    expires_at = _now() + timedelta(hours=settings.session_hours)
    await conn.execute(
        user_session.insert().values(token_digest=secrets.digest(token), user_id=user.id, expires_at=expires_at)
    )
    await uow.commit()
    return Session(token, expires_at, Principal(user.id, Role(user.role), user.account_id, user.email, user.is_holder))


async def authenticate(conn: AsyncConnection, token: str) -> Principal | None:
    row = (
        await conn.execute(
            select(app_user.c.id, app_user.c.role, app_user.c.account_id, app_user.c.email, app_user.c.is_holder)
            .join(user_session, user_session.c.user_id == app_user.c.id)
            .where(
                user_session.c.token_digest == secrets.digest(token),
                user_session.c.revoked_at.is_(None),
                user_session.c.expires_at > _now(),
                app_user.c.active,
            )
        )
    ).first()
    return Principal(row.id, Role(row.role), row.account_id, row.email, row.is_holder) if row else None


async def logout(uow: SqlUnitOfWork, token: str) -> None:
    await uow.connection.execute(
        update(user_session)
        .where(user_session.c.token_digest == secrets.digest(token), user_session.c.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    await uow.commit()


async def request_password_reset(uow: SqlUnitOfWork, settings: AccountsSettings, email: str) -> None:
    """Silent when the address is unknown: the caller always answers the same."""
    user = (
        await uow.connection.execute(
            select(app_user.c.id, app_user.c.account_id).where(app_user.c.email == email.lower(), app_user.c.active)
        )
    ).first()
    if user is None:
        return
    token = secrets.new_token()
    await uow.connection.execute(
        password_reset.insert().values(
            token_digest=secrets.digest(token),
            user_id=user.id,
            expires_at=_now() + timedelta(minutes=settings.password_reset_minutes),
        )
    )
    await uow.publish(
        NotificationRequested(
            request_id=uuid.uuid4(),
            account_ids=[user.account_id] if user.account_id else [],
            template=Template.PASSWORD_RESET,
            params={
                "reset_url": f"{settings.portal_url}/recupera-password?token={token}",
                "minutes": settings.password_reset_minutes,
            },
            channels=["email"],
        )
    )
    await uow.commit()


async def confirm_password_reset(uow: SqlUnitOfWork, token: str, new_password: str) -> None:
    used = (
        await uow.connection.execute(
            update(password_reset)
            .where(
                password_reset.c.token_digest == secrets.digest(token),
                password_reset.c.used_at.is_(None),
                password_reset.c.expires_at > _now(),
            )
            .values(used_at=_now())
            .returning(password_reset.c.user_id)
        )
    ).first()
    if used is None:
        raise InvalidResetToken()
    await uow.connection.execute(
        update(app_user)
        .where(app_user.c.id == used.user_id)
        .values(password_hash=await secrets.hash_password(new_password))
    )
    # A new password ends every open session of that user.
    await uow.connection.execute(
        update(user_session)
        .where(user_session.c.user_id == used.user_id, user_session.c.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    await uow.commit()
