"""Sessions, failed password logins (and password-reset requests) and staff password resets on
PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.driver import driver
from accounts.adapters.tables import login_failure, password_reset, user_session
from accounts.domain.identity import LoginMethod
from accounts.domain.users import Role, SessionCheck, User

TOUCH_EVERY = timedelta(minutes=1)


# The lookup of every authenticated request, in one statement on the driver's connection (a
# prepared statement asyncpg keeps per connection): SQLAlchemy's own execution cost more than
# the round trip. Live: not ended, not expired, used within the idle time; its user active.
# `$1` the token's digest, `$2` now, `$3` the idle limit; a User's columns, then `last_seen_at`.
_LIVE_USER = (
    "SELECT u.id, u.role, u.account_id, u.tax_code, u.email, u.display_name, u.is_holder, s.last_seen_at"
    " FROM user_session s JOIN app_user u ON u.id = s.user_id"
    " WHERE s.token_digest = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3"
    " AND u.active"
)
# The same check as a common table expression `me`, for a hot read to run in its own statement
# (`sql_views`: the session and the account in one round trip); its columns come first.
LIVE_USER_AS_ME = f"WITH me AS ({_LIVE_USER})"
LIVE_USER_COLUMNS = 8
_TOUCH = (
    "UPDATE user_session SET last_seen_at = $2"
    " WHERE token_digest = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3"
    " AND last_seen_at < $2"
)


async def live_user_of(connection: Any, row: Sequence[Any], check: SessionCheck) -> User:
    """The user of a live session's row (`_LIVE_USER`'s columns first), the session touched
    first if `check` says so. Touching writes the request's time only when the one stored is
    older than `TOUCH_EVERY`: a read is not a write (with durable commits every write waits for
    the disk, and a family's concurrent requests would queue on their session's row); the session
    may end up to that much sooner than the idle time after its last request."""
    user_id, role, account_id, tax_code, email, display_name, is_holder, last_seen_at = row[:LIVE_USER_COLUMNS]
    if check.touch and last_seen_at < check.now - TOUCH_EVERY:
        await connection.execute(_TOUCH, check.digest, check.now, check.idle_since)
    return User(user_id, Role(role), account_id, tax_code, email, display_name, is_holder, active=True)


class SqlSessions:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def open(self, digest: str, user_id: uuid.UUID, expires_at: datetime, method: LoginMethod) -> None:
        await self._conn.execute(
            user_session.insert().values(
                token_digest=digest, user_id=user_id, expires_at=expires_at, method=method.value
            )
        )

    async def live_user(self, check: SessionCheck) -> User | None:
        connection = driver(self._conn)
        found = await connection.fetchrow(_LIVE_USER, check.digest, check.now, check.idle_since)
        return None if found is None else await live_user_of(connection, found, check)

    async def end(self, digest: str, now: datetime) -> None:
        await self._conn.execute(
            update(user_session)
            .where(user_session.c.token_digest == digest, user_session.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def end_all(self, user_id: uuid.UUID, now: datetime) -> None:
        await self._conn.execute(
            update(user_session)
            .where(user_session.c.user_id == user_id, user_session.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def purge(self, ended_before: datetime) -> int:
        s = user_session.c
        gone = await self._conn.execute(
            delete(user_session).where(or_(s.expires_at < ended_before, s.revoked_at < ended_before))
        )
        return int(gone.rowcount)


class SqlPasswordResets:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, digest: str, user_id: uuid.UUID, expires_at: datetime) -> None:
        await self._conn.execute(
            password_reset.insert().values(token_digest=digest, user_id=user_id, expires_at=expires_at)
        )

    async def redeem(self, digest: str, now: datetime) -> uuid.UUID | None:
        found: uuid.UUID | None = await self._conn.scalar(
            update(password_reset)
            .where(
                password_reset.c.token_digest == digest,
                password_reset.c.used_at.is_(None),
                password_reset.c.expires_at > now,
            )
            .values(used_at=now)
            .returning(password_reset.c.user_id)
        )
        return found

    async def purge(self, expired_before: datetime) -> int:
        gone = await self._conn.execute(delete(password_reset).where(password_reset.c.expires_at < expired_before))
        return int(gone.rowcount)


class SqlLoginFailures:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def lock(self, subjects: Collection[str]) -> None:
        # One advisory lock per subject, taken in a fixed order (no deadlock between two
        # attempts on the same pair), released at the end of the transaction.
        for subject in sorted(set(subjects)):
            await self._conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:s, 7))"), {"s": subject})

    async def counts(self, subjects: Collection[str], since: datetime) -> dict[str, int]:
        rows = await self._conn.execute(
            select(login_failure.c.subject, func.count())
            .where(login_failure.c.subject.in_(subjects), login_failure.c.failed_at > since)
            .group_by(login_failure.c.subject)
        )
        return {subject: int(count) for subject, count in rows}

    async def record(self, subjects: Collection[str]) -> None:
        await self._conn.execute(login_failure.insert(), [{"subject": s} for s in subjects])

    async def forget(self, subject: str) -> None:
        await self._conn.execute(delete(login_failure).where(login_failure.c.subject == subject))

    async def purge(self, failed_before: datetime) -> int:
        gone = await self._conn.execute(delete(login_failure).where(login_failure.c.failed_at < failed_before))
        return int(gone.rowcount)
