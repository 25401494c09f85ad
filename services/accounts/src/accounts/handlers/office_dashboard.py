"""The office's dashboard (Cruscotto) of today: attendance's overview of the schools, payments'
receipt anomalies and top-ups by channel, the dead letters in Kafka and every service's outbox,
read in parallel; the ledger's credit and debt and the unanswered assistance from accounts.

A service (or Kafka) that does not answer leaves its panel None, "non disponibile": the rest of
the dashboard is shown all the same. Read-only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from accounts.domain.dashboard import Backlog, Dashboard, LedgerDay, SchoolDay, meals_per_school
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork, DeadLetters, Gateways
from shared.errors import RefettorioError

log = logging.getLogger(__name__)


class OutboxOf(Protocol):
    async def outbox(self) -> Backlog: ...


T = TypeVar("T")
KAFKA_WAIT_SECONDS = 8.0
UNAVAILABLE = (RefettorioError, TimeoutError)  # a service's 4xx/503 (the gateway's client), Kafka, too slow


@dataclass(frozen=True)
class _Own:
    """What accounts reads from its own database."""

    outbox: Backlog
    unanswered: int
    ledger: list[LedgerDay]
    waiting_adjustments: int


async def office_dashboard(
    uow: AccountsUnitOfWork, gateways: Gateways, dead_letters: DeadLetters, who: Principal, day: date
) -> Dashboard:
    require(who, Permission.OFFICE)
    services: dict[str, OutboxOf] = {
        "attendance": gateways.attendance,
        "payments": gateways.payments,
        "notifications": gateways.notifications,
    }
    outbox_reads = asyncio.gather(*(_or_none(f"{name} outbox", s.outbox()) for name, s in services.items()))
    attendance, anomalies, top_ups, dlq, own = await asyncio.gather(
        _or_none("attendance", gateways.attendance.dashboard(day)),
        _or_none("payments", gateways.payments.anomalies(unresolved_only=True)),
        _or_none("payments", gateways.payments.top_ups(day.replace(day=1), day)),
        _or_none("kafka", asyncio.wait_for(dead_letters.waiting(), KAFKA_WAIT_SECONDS)),
        _own(uow, who, day),
    )
    outboxes = await outbox_reads
    backlogs = [own.outbox, *(o or name for o, name in zip(outboxes, services, strict=True))]
    days = [day.replace(day=1) + timedelta(days=n) for n in range(day.day)]
    return Dashboard(
        day=day,
        schools=[SchoolDay.of(school) for school in attendance["schools"]] if attendance else None,
        anomalies=anomalies,
        dead_letters=dlq,
        outboxes=backlogs,
        unanswered=own.unanswered,
        ledger=own.ledger,
        top_ups=top_ups,
        waiting_adjustments=own.waiting_adjustments,
        meals=meals_per_school(attendance["meals_served"], days) if attendance else [],
    )


async def _own(uow: AccountsUnitOfWork, who: Principal, day: date) -> _Own:
    first = day.replace(day=1)
    async with uow:
        views = uow.office_views
        lines = await uow.conversations.lines()
        waiting = await uow.pending_adjustments.waiting() if who.may(Permission.MONEY) else []
        return _Own(
            await views.outbox(),
            sum(1 for line in lines if line.waiting),
            await views.ledger_days(first, day),
            len(waiting),
        )


async def _or_none(what: str, read: Awaitable[T]) -> T | None:
    try:
        return await read
    except UNAVAILABLE as error:
        log.warning("dashboard panel not available", extra={"panel": what, "error": type(error).__name__})
        return None
