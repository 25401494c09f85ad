"""Reads and writes payment notices (SQLAlchemy Core on the unit of work's connection)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from payments.adapters.tables import notice_base_seq, payment_notice
from payments.domain.notice import Notice, NoticeState
from shared.db import SqlUnitOfWork


async def next_base(uow: SqlUnitOfWork) -> int:
    """A 13-digit IUV base never handed out before (a PostgreSQL sequence, no cycle)."""
    value = await uow.connection.scalar(notice_base_seq.next_value())
    return int(value)


async def add(uow: SqlUnitOfWork, notice: Notice, creditor_fiscal_code: str) -> None:
    values = notice.__dict__ | {"state": notice.state.value, "creditor_fiscal_code": creditor_fiscal_code}
    await uow.connection.execute(payment_notice.insert().values(**values))


async def get(uow: SqlUnitOfWork, notice_number: str, *, for_update: bool = False) -> Notice | None:
    query = select(*_COLUMNS).where(payment_notice.c.notice_number == notice_number)
    row = (await uow.connection.execute(query.with_for_update() if for_update else query)).first()
    return _notice(row._mapping) if row else None


async def close(uow: SqlUnitOfWork, notice_number: str, state: NoticeState, receipt_id: str | None = None) -> None:
    await uow.connection.execute(
        update(payment_notice)
        .where(payment_notice.c.notice_number == notice_number)
        .values(state=state.value, receipt_id=receipt_id, closed_at=datetime.now(UTC))
    )


_COLUMNS = [
    payment_notice.c[name]
    for name in (
        "notice_number",
        "iuv",
        "account_id",
        "amount_cents",
        "debtor_tax_code",
        "debtor_name",
        "description",
        "due_date",
        "state",
    )
]


def _notice(row: Any) -> Notice:
    return Notice(**{**row, "state": NoticeState(row["state"])})
