"""Hardening finding 11: `login_failure`, `user_session` (and staff password resets) grew without
limit. What is older than the kept period goes; what is recent, or a session still live, stays."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.adapters.tables import app_user, login_failure, password_reset, user_session
from accounts.config import AccountsSettings
from accounts.handlers.purge_logins import purge_logins
from shared.db import make_engine
from testkit.data import tax_code

NOW = datetime.now(UTC)
OLD, RECENT = NOW - timedelta(days=40), NOW - timedelta(days=2)


async def test_old_login_records_are_purged_and_recent_ones_kept(accounts_settings: AccountsSettings) -> None:
    engine = make_engine(accounts_settings.database_url)
    user, marker = uuid.uuid4(), f"purge-{uuid.uuid4().hex[:8]}"
    sessions = {
        f"{marker}-{name}": expires
        for name, expires in (("old", OLD), ("recent", RECENT), ("live", NOW + timedelta(hours=1)))
    }
    try:
        async with engine.begin() as db:
            await db.execute(insert(app_user).values(id=user, role="operator", tax_code=tax_code()))
            for digest, expires in sessions.items():
                await db.execute(insert(user_session).values(token_digest=digest, user_id=user, expires_at=expires))
            await db.execute(insert(password_reset).values(token_digest=f"{marker}-r", user_id=user, expires_at=OLD))
            for at in (OLD, RECENT):
                await db.execute(insert(login_failure).values(subject=marker, failed_at=at))

        purged = await purge_logins(SqlAccountsUnitOfWork(engine, "accounts"), NOW, timedelta(days=30))

        assert purged.sessions >= 1 and purged.resets >= 1 and purged.failures >= 1
        async with engine.connect() as db:
            left = set(
                (await db.execute(select(user_session.c.token_digest).where(user_session.c.user_id == user))).scalars()
            )
            failures = await db.scalar(select(func.count()).where(login_failure.c.subject == marker))
            resets = await db.scalar(select(func.count()).where(password_reset.c.user_id == user))
        assert left == {f"{marker}-recent", f"{marker}-live"} and failures == 1 and resets == 0
    finally:
        await engine.dispose()
