"""Payment notices in PostgreSQL (SQLAlchemy Core on the unit of work's connection)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from payments.adapters.tables import notice_base_seq, payment_notice
from payments.domain.notice import ListedNotice, Notice, NoticeState

_COLUMNS = [payment_notice.c[field.name] for field in fields(Notice)]


class SqlNotices:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def next_number_base(self) -> int:
        """From a PostgreSQL sequence of 13 digits at most that never cycles."""
        return int(await self._connection.scalar(notice_base_seq.next_value()))

    async def add(self, notice: Notice, creditor_fiscal_code: str) -> None:
        values = asdict(notice) | {"state": notice.state.value, "creditor_fiscal_code": creditor_fiscal_code}
        await self._connection.execute(payment_notice.insert().values(**values))

    async def get(self, notice_number: str, *, for_update: bool = False) -> Notice | None:
        query = select(*_COLUMNS).where(payment_notice.c.notice_number == notice_number)
        row = (await self._connection.execute(query.with_for_update() if for_update else query)).first()
        return _notice(row._mapping) if row else None

    async def of_account(self, account_id: uuid.UUID, limit: int) -> list[ListedNotice]:
        rows = await self._connection.execute(
            select(*_COLUMNS, payment_notice.c.created_at)
            .where(payment_notice.c.account_id == account_id)
            .order_by(payment_notice.c.created_at.desc(), payment_notice.c.notice_number.desc())
            .limit(limit)
        )
        return [
            ListedNotice(_notice({k: v for k, v in row._mapping.items() if k != "created_at"}), row.created_at)
            for row in rows
        ]

    async def close(self, notice_number: str, state: NoticeState, receipt_id: str | None = None) -> None:
        await self._connection.execute(
            update(payment_notice)
            .where(payment_notice.c.notice_number == notice_number)
            .values(state=state.value, receipt_id=receipt_id, closed_at=func.now())
        )

    async def mark_activated(self, notice_number: str, at: datetime) -> None:
        await self._set(notice_number, activated_at=at)

    async def mark_checkout(self, notice_number: str, at: datetime) -> None:
        await self._set(notice_number, checkout_started_at=at)

    async def change(self, notice_number: str, amount_cents: int, due_date: date) -> None:
        await self._set(notice_number, amount_cents=amount_cents, due_date=due_date)

    async def start_cancelling(self, notice_number: str) -> None:
        await self._set(notice_number, state=NoticeState.CANCELLING.value)

    async def finish_cancelling(self, notice_number: str) -> None:
        await self._connection.execute(
            update(payment_notice)
            .where(
                payment_notice.c.notice_number == notice_number,
                payment_notice.c.state == NoticeState.CANCELLING.value,
            )
            .values(state=NoticeState.CANCELLED.value, closed_at=func.now())
        )

    async def _set(self, notice_number: str, **values: Any) -> None:
        await self._connection.execute(
            update(payment_notice).where(payment_notice.c.notice_number == notice_number).values(**values)
        )


def _notice(row: Any) -> Notice:
    return Notice(**{**row, "state": NoticeState(row["state"])})
