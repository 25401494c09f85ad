"""Assistance, read: a family's conversation (for the family, and for the office beside the
family's balance and latest movements), and the office's list of conversations, the ones
waiting for an answer first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from accounts.domain.assistance import ConversationLine, Message, in_order
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.read_models import AccountSummary, MovementFilter, MovementLine

MOVEMENTS_BESIDE = 8


@dataclass(frozen=True)
class FamilyFile:
    """What the office sees beside a conversation."""

    account: AccountSummary
    movements: list[MovementLine]
    messages: list[Message]


async def conversation(uow: AccountsUnitOfWork, account_id: uuid.UUID) -> list[Message]:
    async with uow:
        await uow.families.holder(account_id)  # `AccountNotFound` if there is no such account
        return await uow.conversations.of_account(account_id)


async def family_file(uow: AccountsUnitOfWork, account_id: uuid.UUID) -> FamilyFile:
    async with uow:
        account = await uow.views.account(account_id)
        movements = await uow.views.movements(account_id, MovementFilter(), MOVEMENTS_BESIDE, 0)
        messages = await uow.conversations.of_account(account_id)
    return FamilyFile(account, movements.lines, messages)


async def conversations(uow: AccountsUnitOfWork) -> list[ConversationLine]:
    async with uow:
        return in_order(await uow.conversations.lines())
