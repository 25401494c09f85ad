"""Reading the office's audit log: the whole office's or one family's, filtered, newest first."""

from __future__ import annotations

from accounts.domain.audit import AuditFilter, LoggedEntry
from accounts.handlers.ports import AccountsUnitOfWork


async def audit_entries(
    uow: AccountsUnitOfWork, where: AuditFilter, limit: int, offset: int = 0
) -> tuple[int, list[LoggedEntry]]:
    async with uow:
        return await uow.audit.entries(where, limit, offset)
