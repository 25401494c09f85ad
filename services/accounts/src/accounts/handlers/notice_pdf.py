"""A payment notice of the family, as the PDF to print (another family's is "not found")."""

from __future__ import annotations

import uuid

from accounts.domain.exceptions import AccountNotFound
from accounts.handlers.ports import PaymentsGateway


async def notice_pdf(payments: PaymentsGateway, account_id: uuid.UUID, notice_number: str) -> bytes:
    if await payments.notice_account(notice_number) != account_id:
        raise AccountNotFound(account_id)
    return await payments.notice_pdf(notice_number)
