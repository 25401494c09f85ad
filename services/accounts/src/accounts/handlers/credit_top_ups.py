"""Credits every pagoPA payment received to its account.

Idempotency: inbox (rule `credit-top-up` in `accounts.consumers`) and the ledger's unique
`("payment", payment_id)`: the node may resend a receipt, the family is credited once.
Emits `balance-changed` for each credit.
"""

from __future__ import annotations

from collections.abc import Sequence

from accounts.domain.ledger import Cause, Movement
from accounts.domain.top_ups import credit_description
from accounts.handlers.book_movements import book_movements
from accounts.handlers.ports import AccountsUnitOfWork
from shared.events import PaymentReceived


async def credit_top_ups(uow: AccountsUnitOfWork, payments: Sequence[PaymentReceived]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    balances = await uow.ledger.lock({p.account_id for p in payments})
    await book_movements(uow, balances, [_credit(p) for p in payments])


def _credit(payment: PaymentReceived) -> Movement:
    return Movement(
        account_id=payment.account_id,
        cause=Cause.TOP_UP,
        amount_cents=payment.amount_cents,
        source="payment",
        source_id=str(payment.payment_id),
        description=credit_description(payment.notice_number),
    )
