"""Morosità: the accounts in debt, how much and since when (the last movement that took the
balance below zero, from the ledger), a page at a time, each with the reminders already sent to it
(channel, date, outcome: from notifications' delivery log). Staff only: a child's debt is never
shown to anyone else."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from accounts.domain.users import Permission, Principal, require
from accounts.handlers import queries
from accounts.handlers.ports import AccountsUnitOfWork, JsonObject, NotificationsGateway
from accounts.handlers.read_models import Debtor, DebtorOrder


@dataclass(frozen=True)
class DebtorLine:
    debtor: Debtor
    reminders: list[JsonObject] = field(default_factory=list)  # newest first


@dataclass(frozen=True)
class DebtorsPage:
    total: int
    lines: list[DebtorLine]


async def debtors_page(
    uow: AccountsUnitOfWork,
    notifications: NotificationsGateway,
    who: Principal,
    order: DebtorOrder,
    limit: int,
    offset: int,
    holder: str = "",
) -> DebtorsPage:
    require(who, Permission.OFFICE)
    total, debtors = await queries.debtors(uow, order, limit, offset, holder)
    sent: dict[uuid.UUID, list[JsonObject]] = {}
    for reminder in await notifications.reminders([d.account_id for d in debtors]):
        sent.setdefault(uuid.UUID(str(reminder["account_id"])), []).append(reminder)
    return DebtorsPage(total, [DebtorLine(d, sent.get(d.account_id, [])) for d in debtors])
