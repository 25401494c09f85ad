"""The office's past communications (from the audit log, newest first) and the delivery report
of one: what notifications made of it per channel (sent, failed, refused: diniego)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from accounts.domain.audit import Action, AuditFilter, LoggedEntry
from accounts.domain.exceptions import RequestNotFound
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork, JsonObject, NotificationsGateway


@dataclass(frozen=True)
class Report:
    sent: LoggedEntry  # who sent it, when, to whom, what
    outcomes: list[JsonObject]  # channel, state, count


async def past_communications(
    uow: AccountsUnitOfWork, who: Principal, limit: int, offset: int = 0
) -> tuple[int, list[LoggedEntry]]:
    require(who, Permission.OFFICE)
    async with uow:
        return await uow.audit.entries(AuditFilter(action=Action.BROADCAST), limit, offset)


async def communication_report(
    uow: AccountsUnitOfWork, notifications: NotificationsGateway, who: Principal, request_id: uuid.UUID
) -> Report:
    require(who, Permission.OFFICE)
    async with uow:
        _, found = await uow.audit.entries(AuditFilter(action=Action.BROADCAST, subject=str(request_id)), 1, 0)
    if not found:
        raise RequestNotFound()
    return Report(found[0], await notifications.outcomes(request_id, "broadcast"))
