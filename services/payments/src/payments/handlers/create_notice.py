"""Creates a payment notice for a top-up: a fresh IUV from the sequence, state open.

Not idempotent by design: every call is a new notice with its own number (a notice can be paid
once, so each top-up needs its own). Emits nothing; the receipt will.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from payments.adapters import notices
from payments.domain.notice import Notice, NoticeNumber, NoticeState, top_up_description
from shared.db import SqlUnitOfWork


@dataclass(frozen=True)
class CreateNotice:
    account_id: uuid.UUID
    amount_cents: int
    debtor_tax_code: str
    debtor_name: str
    due_date: date | None = None


@dataclass(frozen=True)
class Creditor:
    fiscal_code: str
    segregation_code: str
    validity_days: int


async def create_notice(uow: SqlUnitOfWork, command: CreateNotice, creditor: Creditor, today: date) -> Notice:
    number = NoticeNumber.build(creditor.segregation_code, await notices.next_base(uow))
    notice = Notice(
        notice_number=number.value,
        iuv=number.iuv,
        account_id=command.account_id,
        amount_cents=command.amount_cents,
        debtor_tax_code=command.debtor_tax_code,
        debtor_name=command.debtor_name,
        description=top_up_description(command.debtor_name),
        due_date=command.due_date or today + timedelta(days=creditor.validity_days),
        state=NoticeState.OPEN,
    )
    await notices.add(uow, notice, creditor.fiscal_code)
    await uow.commit()
    return notice
