"""The outcome of an online top-up, where pagoPA Checkout sends the parent back: the notice as
payments has it, and its credit in the ledger as soon as the receipt has landed there (found by
the credit's description, `top_ups.credit_description`). The new balance is the holder's to see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from accounts.domain.notices import FamilyNotice
from accounts.domain.top_ups import credit_description
from accounts.domain.users import Principal
from accounts.handlers.family_notices import family_notice
from accounts.handlers.ports import AccountsUnitOfWork, PaymentsGateway
from accounts.handlers.read_models import MovementLine


@dataclass(frozen=True)
class TopUpOutcome:
    notice: FamilyNotice
    credit: MovementLine | None  # None until the receipt is credited; its balance only for the holder

    @property
    def credited(self) -> bool:
        return self.credit is not None


async def top_up_outcome(
    uow: AccountsUnitOfWork, payments: PaymentsGateway, who: Principal, account_id: uuid.UUID, notice_number: str
) -> TopUpOutcome:
    notice = await family_notice(payments, account_id, notice_number)
    async with uow:
        credit = await uow.portal.credit_of(account_id, credit_description(notice_number))
    if credit is not None and not who.sees_debts:
        credit = MovementLine(credit.entry_id, credit.cause, credit.amount_cents, None, "", credit.booked_at)
    return TopUpOutcome(notice, credit)
