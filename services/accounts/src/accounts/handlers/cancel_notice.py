"""A family cancels one of its unpaid notices (a top-up it no longer wants). One that a PSP has
already activated cannot be (its payment is under way): the refusal says so, in the family's
words. Payments keeps it `cancelling` until pagoPA's ACA has confirmed. Emits nothing."""

from __future__ import annotations

import uuid

from accounts.domain.exceptions import NoticeNotCancellable
from accounts.domain.notices import FamilyNotice
from accounts.handlers.family_notices import family_notice
from accounts.handlers.ports import PaymentsGateway


async def cancel_notice(payments: PaymentsGateway, account_id: uuid.UUID, notice_number: str) -> FamilyNotice:
    found = await family_notice(payments, account_id, notice_number)
    if not found.cancellable:
        raise NoticeNotCancellable(found.activated)
    return await payments.cancel_notice(notice_number)
