"""The letter's return form: paper vouchers a family handed in, credited to the account.

One movement per form (student, number of vouchers, unit value, date, who received them), made
once per Idempotency-Key; see `manual_booking`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from accounts.domain.ledger import Cause, Movement
from accounts.handlers.manual_booking import Booked, Idempotent, book_by_hand
from accounts.handlers.ports import AccountsUnitOfWork
from shared.money import format_euro


@dataclass(frozen=True)
class PaperVouchers:
    account_id: uuid.UUID
    student_id: uuid.UUID
    count: int
    unit_cents: int
    received_on: date
    received_by: str


async def record_paper_vouchers(uow: AccountsUnitOfWork, v: PaperVouchers, key: str | None) -> Booked:
    movement = Movement(
        v.account_id,
        Cause.PAPER_VOUCHERS,
        v.count * v.unit_cents,
        Cause.PAPER_VOUCHERS.value,
        str(uuid.uuid4()),
        f"Buoni pasto cartacei: {v.count} × {format_euro(v.unit_cents)}",
        v.student_id,
        v.received_by,
    )
    request = {"student_id": v.student_id, "count": v.count, "unit_cents": v.unit_cents, "received_on": v.received_on}
    return await book_by_hand(uow, movement, v.received_on, Idempotent(f"vouchers:{v.account_id}", key, request))
