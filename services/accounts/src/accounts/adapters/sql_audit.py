"""The audit log on PostgreSQL: appended only (the table's trigger refuses anything else)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import audit_entry
from accounts.domain.audit import Action, Actor, AuditEntry, AuditFilter, LoggedEntry
from shared.local_time import midnight


class SqlAuditLog:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def record(self, entry: AuditEntry) -> None:
        await self._conn.execute(
            audit_entry.insert().values(
                actor_id=entry.actor.user_id,
                actor_name=entry.actor.name[:200],
                actor_role=entry.actor.role,
                action=entry.action.value,
                subject=entry.subject[:200],
                account_id=entry.account_id,
                before=entry.before,
                after=entry.after,
                reason=entry.reason,
            )
        )

    async def entries(self, where: AuditFilter, limit: int, offset: int) -> tuple[int, list[LoggedEntry]]:
        conditions = _conditions(where)
        total = await self._conn.scalar(select(func.count()).select_from(audit_entry).where(*conditions))
        rows = await self._conn.execute(
            select(audit_entry).where(*conditions).order_by(audit_entry.c.seq.desc()).limit(limit).offset(offset)
        )
        return int(total or 0), [_logged(row) for row in rows]


def _conditions(where: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.account_id is not None:
        conditions.append(audit_entry.c.account_id == where.account_id)
    if where.actor_id is not None:
        conditions.append(audit_entry.c.actor_id == where.actor_id)
    if where.action is not None:
        conditions.append(audit_entry.c.action == where.action.value)
    if where.subject is not None:
        conditions.append(audit_entry.c.subject == where.subject)
    if where.since is not None:
        conditions.append(audit_entry.c.at >= midnight(where.since))
    if where.until is not None:
        conditions.append(audit_entry.c.at < midnight(where.until + timedelta(days=1)))
    return conditions


def _logged(row: Any) -> LoggedEntry:
    actor = Actor(row.actor_id, row.actor_name, row.actor_role)
    entry = AuditEntry(actor, Action(row.action), row.subject, row.account_id, row.before, row.after, row.reason)
    return LoggedEntry(row.seq, row.at, entry)
