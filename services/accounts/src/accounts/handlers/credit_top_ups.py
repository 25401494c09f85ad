"""Credits every pagoPA payment received to its account.

Idempotency: inbox (consumer `accounts.credit-top-up`) and the ledger's unique
`("payment", payment_id)`: the node may resend a receipt, the family is credited once.
Emits `balance-changed` for each credit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from accounts.domain.ledger import Cause, Movement
from accounts.handlers.book_movements import book_movements
from shared.db import UnitOfWork
from shared.events import Envelope, PaymentReceived

CONSUMER = "accounts.credit-top-up"


async def credit_top_ups(
    envelopes: Sequence[Envelope[PaymentReceived]], unit_of_work: Callable[[], UnitOfWork]
) -> None:
    async with unit_of_work() as uow:
        fresh = await uow.claim(CONSUMER, [e.event_id for e in envelopes])
        await book_movements(
            uow,
            [
                Movement(
                    account_id=e.data.account_id,
                    cause=Cause.TOP_UP,
                    amount_cents=e.data.amount_cents,
                    source="payment",
                    source_id=str(e.data.payment_id),
                    description=f"Ricarica pagoPA avviso {e.data.notice_number}",
                )
                for e in envelopes
                if e.event_id in fresh
            ],
        )
        await uow.commit()
