"""Esegui ricarica: a pagoPA notice for the account's holder, printable for a counter, and with
`online` also the pagoPA Checkout page to pay it now; with `send_to_io` the notice is also sent
to the holder's app IO. The credit comes later, with the `payment-received` of its receipt
(`credit_top_ups`).

Emits `notification-requested` (template `payment_notice`, channel io) through the outbox when
asked, once payments created the notice. Should this process stop in between, the notice exists
without its IO message: the parent, who got no answer, tops up again (a new notice).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from accounts.domain.top_ups import checked_amount, notice_in_io
from accounts.handlers.ports import AccountsUnitOfWork, JsonObject, PaymentsGateway


@dataclass(frozen=True)
class TopUp:
    notice: JsonObject  # as payments answered; its `notice_number` names it
    checkout_url: str | None


async def request_top_up(
    uow: AccountsUnitOfWork,
    payments: PaymentsGateway,
    account_id: uuid.UUID,
    amount_cents: int,
    online: bool,
    send_to_io: bool = False,
) -> TopUp:
    checked_amount(amount_cents)
    async with uow:
        holder = await uow.families.holder(account_id)
    notice = await payments.create_notice(account_id, amount_cents, holder)
    checkout_url = await payments.checkout_url(notice["notice_number"]) if online else None
    if send_to_io:
        await _send_to_io(uow, account_id, notice)
    return TopUp(notice, checkout_url)


async def _send_to_io(uow: AccountsUnitOfWork, account_id: uuid.UUID, notice: JsonObject) -> None:
    request = notice_in_io(
        account_id,
        notice["notice_number"],
        notice["amount_cents"],
        date.fromisoformat(notice["due_date"]),
        notice["creditor_fiscal_code"],
    )
    async with uow:
        await uow.publish(request)
        await uow.commit()
