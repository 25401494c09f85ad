"""For the office: a family's delivery log, the reminders sent to some families, newest first
(addresses masked), and what became of one request's messages."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection

from notifications.domain.delivery import LoggedDelivery, Outcome, mask
from notifications.domain.rules import Rule
from notifications.handlers.ports import NotificationsUnitOfWork


async def read_delivery_log(uow: NotificationsUnitOfWork, account_id: uuid.UUID, limit: int) -> list[LoggedDelivery]:
    async with uow:
        rows = await uow.deliveries.of_account(account_id, limit)
    return _masked(rows)


async def reminders_sent(
    uow: NotificationsUnitOfWork, account_ids: Collection[uuid.UUID], limit: int
) -> list[LoggedDelivery]:
    """The reminders (scheduled and the office's own) of these families."""
    async with uow:
        rows = await uow.deliveries.of_accounts(account_ids, Rule.REMINDER.value, limit)
    return _masked(rows)


async def request_report(uow: NotificationsUnitOfWork, rule: Rule, request_id: uuid.UUID) -> list[Outcome]:
    """Per channel, how many of the request's messages were sent, failed, refused (diniego)..."""
    async with uow:
        return await uow.deliveries.outcomes(rule.value, str(request_id))


def _masked(rows: list[LoggedDelivery]) -> list[LoggedDelivery]:
    return [dataclasses.replace(row, recipient=mask(row.recipient)) for row in rows]
