"""The receipt anomalies for the office: unresolved first, then the resolved ones with how and
by whom. Read-only."""

from __future__ import annotations

from payments.domain.anomalies import KeptAnomaly
from payments.handlers.ports import PaymentsUnitOfWork


async def list_anomalies(uow: PaymentsUnitOfWork, unresolved_only: bool, limit: int = 200) -> list[KeptAnomaly]:
    async with uow:
        return await uow.anomalies.listed(unresolved_only, limit)
