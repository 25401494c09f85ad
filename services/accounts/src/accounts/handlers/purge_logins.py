"""What logins leave behind, kept no longer than it serves (hardening finding 11): sessions
expired or ended, staff password resets expired, failed logins older than any throttle window,
removed once they are `keep` old. Run hourly by the service (`bootstrap`); idempotent, so N
replicas running it change nothing more than one. Emits nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.handlers.ports import AccountsUnitOfWork


@dataclass(frozen=True)
class Purged:
    sessions: int
    resets: int
    failures: int


async def purge_logins(uow: AccountsUnitOfWork, now: datetime, keep: timedelta) -> Purged:
    before = now - keep
    async with uow:
        purged = Purged(
            await uow.sessions.purge(before),
            await uow.password_resets.purge(before),
            await uow.login_failures.purge(before),
        )
        await uow.commit()
    return purged
