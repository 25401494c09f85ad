"""A correction the office books by hand, with its reason (signed, never zero).

Made once per Idempotency-Key; see `manual_booking`.
"""

from __future__ import annotations

import uuid
from datetime import date

from accounts.domain.ledger import Cause, Movement
from accounts.handlers.manual_booking import Booked, Idempotent, book_by_hand
from accounts.handlers.ports import AccountsUnitOfWork


async def adjust_balance(
    uow: AccountsUnitOfWork, account_id: uuid.UUID, amount_cents: int, reason: str, by: str, day: date, key: str | None
) -> Booked:
    movement = Movement(
        account_id,
        Cause.ADJUSTMENT,
        amount_cents,
        Cause.ADJUSTMENT.value,
        str(uuid.uuid4()),
        f"Rettifica: {reason}",
        author=by,
    )
    request = {"amount_cents": amount_cents, "reason": reason}
    return await book_by_hand(uow, movement, day, Idempotent(f"adjustment:{account_id}", key, request))
