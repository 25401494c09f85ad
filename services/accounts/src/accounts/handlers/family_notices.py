"""Avvisi di pagamento: the family's notices (payments keeps them) as a person may see them,
and one of them, only if it is the family's (another family's is "not found").

A guardian who is not the holder does not see the paid ones (`domain.notices.seen_by`)."""

from __future__ import annotations

import uuid

from accounts.domain.exceptions import NoticeNotFound
from accounts.domain.notices import FamilyNotice, seen_by
from accounts.domain.users import Principal
from accounts.handlers.ports import PaymentsGateway


async def family_notices(payments: PaymentsGateway, who: Principal, account_id: uuid.UUID) -> list[FamilyNotice]:
    return seen_by(who, await payments.notices_of(account_id))


async def family_notice(payments: PaymentsGateway, account_id: uuid.UUID, notice_number: str) -> FamilyNotice:
    if not (notice_number.isdigit() and len(notice_number) == 18):
        raise NoticeNotFound()
    found = await payments.notice(notice_number)
    if found.account_id != account_id:
        raise NoticeNotFound()
    return found
