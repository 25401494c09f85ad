"""What the office's dashboard reads from accounts' own database: the families' credit and debt
at the end of each day, the credits per day by channel, and accounts' own outbox backlog."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.domain.dashboard import Backlog, LedgerDay, TopUpDay
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
_TOP_UP_DAYS = text(
    """
    SELECT (booked_at AT TIME ZONE :zone)::date AS day,
           coalesce(sum(amount_cents) FILTER (WHERE cause = 'top_up'), 0),
           coalesce(sum(amount_cents) FILTER (WHERE cause = 'paper_vouchers'), 0)
    FROM ledger_entry
    WHERE cause IN ('top_up', 'paper_vouchers')
      AND booked_at >= (CAST(:first AS date)::timestamp AT TIME ZONE :zone)
      AND booked_at < ((CAST(:last AS date) + 1)::timestamp AT TIME ZONE :zone)
    GROUP BY 1 ORDER BY 1
    """
)


class SqlOfficeViews:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def ledger_days(self, first: date, last: date) -> list[LedgerDay]:
        rows = await self._conn.execute(_LEDGER_DAYS, {"first": first, "last": last, "zone": ROME.key})
        return [LedgerDay(day, int(credit), int(debt)) for day, credit, debt in rows]

    async def top_up_days(self, first: date, last: date) -> list[TopUpDay]:
        rows = await self._conn.execute(_TOP_UP_DAYS, {"first": first, "last": last, "zone": ROME.key})
        found = {day: TopUpDay(day, int(pagopa), int(counter)) for day, pagopa, counter in rows}
        days = ((first.toordinal() + n) for n in range((last - first).days + 1))
        return [found.get(date.fromordinal(d), TopUpDay(date.fromordinal(d), 0, 0)) for d in days]

    async def outbox(self) -> Backlog:
        found = await outbox_backlog(self._conn)
        return Backlog("accounts", found.pending, found.stuck, found.oldest_seconds)
