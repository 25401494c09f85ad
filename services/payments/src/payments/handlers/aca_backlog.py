"""What the office must watch in ACA: how many notices wait for their latest change to be
registered, how many were refused, since when, and which. Reads only."""

from __future__ import annotations

from payments.domain.aca import AcaBacklog, Registration
from payments.handlers.ports import PaymentsUnitOfWork


async def aca_backlog(uow: PaymentsUnitOfWork, state: Registration | None, limit: int) -> AcaBacklog:
    async with uow:
        return await uow.aca_changes.backlog(state, limit)
