"""Changes the amount or the due date of an open notice that no PSP has activated, and queues the
new position for ACA in the same transaction. Emits nothing.

The notice is locked (`FOR UPDATE`), so a change, a cancellation, an activation and a receipt
for it are serialised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from payments.domain.aca import Change, NoticeChange, NoticeView
from payments.domain.creditor import Creditor
from payments.domain.local_time import rome_date
from payments.domain.notice import known
from payments.handlers.ports import Clock, PaymentsUnitOfWork


@dataclass(frozen=True)
class ChangeNotice:
    notice_number: str
    amount_cents: int | None = None
    due_date: date | None = None


async def change_notice(uow: PaymentsUnitOfWork, command: ChangeNotice, creditor: Creditor, clock: Clock) -> NoticeView:
    async with uow:
        notice = known(await uow.notices.get(command.notice_number, for_update=True))
        changed = notice.changed(rome_date(clock()), command.amount_cents, command.due_date)
        await uow.notices.change(changed.notice_number, changed.amount_cents, changed.due_date)
        aca = await uow.aca_changes.queue(NoticeChange.of(changed, creditor, Change.CHANGED))
        await uow.commit()
    return NoticeView(changed, aca)
