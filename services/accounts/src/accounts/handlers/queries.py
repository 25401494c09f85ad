"""The gateway's reads: an account, its movements and yearly statement, and the office's lists.

What a principal may read is checked at the edge (`api.dependencies`); what they may see of it
is decided here: the account's money only by the holder and the office.
"""

from __future__ import annotations

import dataclasses
import uuid

from accounts.domain.exceptions import HolderOnly
from accounts.domain.users import Principal
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.read_models import (
    AccountSummary,
    Debtor,
    DebtorOrder,
    FamilyFound,
    MovementFilter,
    MovementPage,
    RefundToPay,
    StudentFound,
)


async def account(uow: AccountsUnitOfWork, account_id: uuid.UUID, who: Principal) -> AccountSummary:
    async with uow.reading():
        return as_seen_by(who, await uow.views.account(account_id))


def as_seen_by(who: Principal, found: AccountSummary) -> AccountSummary:
    return dataclasses.replace(found, balance_cents=who.visible_balance(found.balance_cents))


async def movements(
    uow: AccountsUnitOfWork, account_id: uuid.UUID, where: MovementFilter, who: Principal, limit: int, offset: int
) -> MovementPage:
    """The estratto conto: the holder's and the office's (`Principal.sees_debts`)."""
    holder_only(who)
    async with uow.reading():
        return await uow.views.movements(account_id, where, limit, offset)


def holder_only(who: Principal, message: str = HolderOnly.SEEN) -> None:
    if not who.sees_debts:
        raise HolderOnly(message)


async def search_families(uow: AccountsUnitOfWork, text: str, limit: int = 50) -> list[FamilyFound]:
    async with uow:
        return await uow.views.search_families(text.strip(), limit)


async def debtors(
    uow: AccountsUnitOfWork, order: DebtorOrder = "amount", limit: int = 1000, offset: int = 0, holder: str = ""
) -> tuple[int, list[Debtor]]:
    async with uow:
        return await uow.views.debtors(order, limit, offset, holder.strip())


async def refunds_to_pay(uow: AccountsUnitOfWork) -> list[RefundToPay]:
    async with uow:
        return await uow.views.refunds_to_pay()


async def search_students(uow: AccountsUnitOfWork, text: str, limit: int = 20) -> list[StudentFound]:
    async with uow:
        return await uow.views.search_students(text.strip(), limit)


async def pupil(uow: AccountsUnitOfWork, student_id: uuid.UUID) -> StudentFound:
    async with uow:
        return await uow.views.pupil(student_id)
