"""A family as the office sees it on one page: the account and its children, contacts, guardians,
movements, meals, payment notices, messages sent, adjustments waiting, and the audit timeline.

What other services keep (meals: attendance; notices: payments; messages: notifications) comes
through the gateways, for the member of staff who asks; a service that does not answer leaves
its part empty (None), never the whole page.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from accounts.domain.adjustments import AdjustmentRequest
from accounts.domain.audit import AuditFilter, LoggedEntry
from accounts.domain.family import FamilyDetails
from accounts.domain.notices import FamilyNotice
from accounts.domain.users import User
from accounts.handlers.ports import AccountsUnitOfWork, Gateways, JsonObject
from accounts.handlers.read_models import AccountSummary, MovementFilter, MovementPage
from shared.errors import RefettorioError

T = TypeVar("T")
MOVEMENTS, AUDITED = 20, 30


@dataclass(frozen=True)
class FamilyFile:
    account: AccountSummary
    details: FamilyDetails
    movements: MovementPage
    guardians: list[User]
    pending: list[AdjustmentRequest]
    audit: list[LoggedEntry]
    meals: dict[uuid.UUID, JsonObject] | None  # per child, the month's attendance
    notices: list[FamilyNotice] | None
    deliveries: list[JsonObject] | None


async def family_file(uow: AccountsUnitOfWork, other: Gateways, account_id: uuid.UUID, month: str) -> FamilyFile:
    async with uow:
        account = await uow.views.account(account_id)
        details = await uow.families.details(account_id)
        movements = await uow.views.movements(account_id, MovementFilter(), MOVEMENTS, 0)
        guardians = await uow.users.guardians(account_id)
        pending = await uow.pending_adjustments.of_account(account_id)
        _, audit = await uow.audit.entries(AuditFilter(account_id=account_id), AUDITED, 0)
    children = {s.student_id for s in account.students}
    meals = await _meals(other, children, month)
    notices = await _if_answered(other.payments.notices_of(account_id))
    deliveries = await _if_answered(other.notifications.deliveries(account_id))
    return FamilyFile(account, details, movements, guardians, pending, audit, meals, notices, deliveries)


async def _meals(other: Gateways, children: set[uuid.UUID], month: str) -> dict[uuid.UUID, JsonObject] | None:
    found: dict[uuid.UUID, JsonObject] = {}
    for child in sorted(children, key=str):
        month_of = await _if_answered(other.attendance.month_of(child, month))
        if month_of is None:
            return None
        found[child] = month_of
    return found


async def _if_answered(call: Awaitable[T]) -> T | None:
    """Another service's answer, or None when it cannot give one now (it is down, or refuses)."""
    try:
        return await call
    except RefettorioError:
        return None
