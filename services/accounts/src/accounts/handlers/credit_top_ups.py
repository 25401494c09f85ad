"""Credits every pagoPA payment received to its account.

Idempotency: inbox (rule `credit-top-up` in `accounts.consumers`) and the ledger's unique
`("payment", payment_id)`: the node may resend a receipt, the family is credited once.
Emits `balance-changed` for each credit.
"""

from __future__ import annotations

from collections.abc import Sequence

from accounts.domain.ledger import Cause, Movement
from accounts.handlers.book_movements import book_movements
from shared.db import SqlUnitOfWork
from shared.events import PaymentReceived


async def credit_top_ups(uow: SqlUnitOfWork, payments: Sequence[PaymentReceived]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    await book_movements(
        uow,
        [
            Movement(
                account_id=p.account_id,
                cause=Cause.TOP_UP,
                amount_cents=p.amount_cents,
                source="payment",
                source_id=str(p.payment_id),
                description=f"Ricarica pagoPA avviso {p.notice_number}",
            )
            for p in payments
        ],
    )
