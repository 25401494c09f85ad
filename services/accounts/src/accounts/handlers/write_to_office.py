"""A parent writes to the Ufficio Scuola from the portal (Assistenza): a message of the family's
conversation, by the person who wrote it. Emits nothing: the office's list shows it as waiting."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from accounts.domain.assistance import Message, Side, message
from accounts.domain.users import Principal
from accounts.handlers.ports import AccountsUnitOfWork


async def write_to_office(uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, body: str) -> Message:
    written = message(account_id, Side.FAMILY, who.name or "Famiglia", body, datetime.now(UTC))
    async with uow:
        await uow.families.holder(account_id)  # `AccountNotFound` if there is no such account
        await uow.conversations.add(written, who.user_id)
        await uow.commit()
    return written
