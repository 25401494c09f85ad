"""What the office's dashboard reads from accounts' own database: the families' credit and debt
at the end of each day, and accounts' own outbox backlog."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.domain.dashboard import Backlog, LedgerDay
from shared.local_time import ROME
from shared.metrics import outbox_backlog

# Each account's last balance before the end of each Rome day (none before its first movement).
_LEDGER_DAYS = text(
    """
    SELECT d.day::date, coalesce(sum(greatest(b.balance, 0)), 0), coalesce(sum(least(b.balance, 0)), 0)
    FROM generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 day') AS d(day)
    LEFT JOIN LATERAL (
        SELECT DISTINCT ON (account_id) balance_after_cents AS balance
        FROM ledger_entry
        WHERE booked_at < ((d.day + interval '1 day')::timestamp AT TIME ZONE :zone)
        ORDER BY account_id, seq DESC
    ) AS b ON true
    GROUP BY d.day ORDER BY d.day
    """
)


class SqlOfficeViews:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def ledger_days(self, first: date, last: date) -> list[LedgerDay]:
        rows = await self._conn.execute(_LEDGER_DAYS, {"first": first, "last": last, "zone": ROME.key})
        return [LedgerDay(day, int(credit), int(debt)) for day, credit, debt in rows]

    async def outbox(self) -> Backlog:
        found = await outbox_backlog(self._conn)
        return Backlog("accounts", found.pending, found.stuck, found.oldest_seconds)
