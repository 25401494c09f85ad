"""Esegui ricarica: a pagoPA notice for the account's holder, printable for a counter, and with
`online` also the pagoPA Checkout page to pay it now. The credit comes later, with the
`payment-received` of its receipt (`credit_top_ups`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from accounts.handlers.ports import AccountsUnitOfWork, JsonObject, PaymentsGateway


@dataclass(frozen=True)
class TopUp:
    notice: JsonObject  # as payments answered; its `notice_number` names it
    checkout_url: str | None


async def request_top_up(
    uow: AccountsUnitOfWork, payments: PaymentsGateway, account_id: uuid.UUID, amount_cents: int, online: bool
) -> TopUp:
    async with uow:
        holder = await uow.families.holder(account_id)
    notice = await payments.create_notice(account_id, amount_cents, holder)
    checkout_url = await payments.checkout_url(notice["notice_number"]) if online else None
    return TopUp(notice, checkout_url)
