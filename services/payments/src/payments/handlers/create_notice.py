"""Creates a payment notice for a top-up: a fresh IUV from the sequence, state open, and its
registration in ACA queued in the same transaction (no dual write: the ACA sender sends it).

Not idempotent by design: every call is a new notice with its own number (a notice can be paid
once, so each top-up needs its own). Emits nothing; the receipt will.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from payments.domain.aca import Change, NoticeChange, NoticeView
from payments.domain.creditor import Creditor
from payments.domain.local_time import rome_date
from payments.domain.notice import Notice, NoticeNumber
from payments.handlers.ports import Clock, PaymentsUnitOfWork


@dataclass(frozen=True)
class CreateNotice:
    account_id: uuid.UUID
    amount_cents: int
    debtor_tax_code: str
    debtor_name: str
    due_date: date | None = None


async def create_notice(uow: PaymentsUnitOfWork, command: CreateNotice, creditor: Creditor, clock: Clock) -> NoticeView:
    due_date = command.due_date or creditor.due_date(rome_date(clock()))
    async with uow:
        number = NoticeNumber.build(creditor.segregation_code, await uow.notices.next_number_base())
        notice = Notice.top_up(
            number, command.account_id, command.amount_cents, command.debtor_tax_code, command.debtor_name, due_date
        )
        await uow.notices.add(notice, creditor.fiscal_code)
        aca = await uow.aca_changes.queue(NoticeChange.of(notice, creditor, Change.CREATED))
        await uow.commit()
    return NoticeView(notice, aca)
