"""The Ufficio Scuola answers a family's conversation (its back-office, `/ufficio/assistenza`).

Emits `notification-requested` (template `assistance_reply`, by email, one per answer: its
request id is the answer's id) through the outbox, in the transaction that stores the answer.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from accounts.domain.assistance import Message, Side, answer_announced, message
from accounts.domain.users import Principal
from accounts.handlers.ports import AccountsUnitOfWork


async def answer_family(uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, body: str) -> Message:
    answer = message(account_id, Side.OFFICE, who.name or "Ufficio Scuola", body, datetime.now(UTC))
    async with uow:
        await uow.families.holder(account_id)  # `AccountNotFound` if there is no such account
        await uow.conversations.add(answer, who.user_id)
        await uow.publish(answer_announced(answer))
        await uow.commit()
    return answer
