"""The gateway's reads: an account, its movements and yearly statement, and the office's lists.

What a principal may read is checked at the edge (`api.dependencies`, with `visible_account`);
what they may see of it is decided here: the account's money only by the holder and the office.
The API's hot reads (`account_for`, `movements_for`) take the caller as the edge found them: the
office's token, or a session checked in the read's own statement, both decided here.
"""

from __future__ import annotations

import dataclasses
import uuid

from accounts.domain.exceptions import AccountNotFound, HolderOnly
from accounts.domain.users import Principal, SessionCheck
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

# Who asks for a hot read: the office's token (a principal already), or a session to check.
Caller = Principal | SessionCheck


def visible_account(account_id: uuid.UUID | None, who: Principal) -> uuid.UUID:
    """The account asked for (None: one's own). A parent asking for another family's account is
    told it does not exist (404, not 403)."""
    wanted = who.account_id if account_id is None else account_id
    if wanted is None or not who.may_see(wanted):
        raise AccountNotFound(account_id)
    return wanted


async def account_for(uow: AccountsUnitOfWork, caller: Caller, account_id: uuid.UUID | None) -> AccountSummary | None:
    """The account `caller` asks for (None: their own, `/me`), as they may see it; None if the
    session is not live."""
    if isinstance(caller, Principal):
        return await account(uow, visible_account(account_id, caller), caller)
    async with uow.reading():
        asked = await uow.views.account_asked(caller, account_id)
    if asked is None:
        return None
    who = asked.user.principal
    wanted = visible_account(account_id, who)
    if asked.found is None or asked.found.account_id != wanted:
        raise AccountNotFound(account_id)
    return as_seen_by(who, asked.found)


async def movements_for(
    uow: AccountsUnitOfWork, caller: Caller, account_id: uuid.UUID, where: MovementFilter, limit: int, offset: int
) -> MovementPage | None:
    """`movements` for the caller as `account_for` takes it; None if the session is not live."""
    if isinstance(caller, Principal):
        return await movements(uow, visible_account(account_id, caller), where, caller, limit, offset)
    async with uow.reading():
        asked = await uow.views.movements_asked(caller, account_id, where, limit, offset)
    if asked is None:
        return None
    who = asked.user.principal
    visible_account(account_id, who)
    holder_only(who)
    if asked.found is None:
        raise AccountNotFound(account_id)
    return asked.found


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
