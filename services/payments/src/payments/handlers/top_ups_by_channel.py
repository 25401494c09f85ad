"""The office's dashboard: the receipts credited per Rome day, online (after a pagoPA Checkout
cart) or at a counter (the printed notice at a PSP). Read-only."""

from __future__ import annotations

from datetime import date, timedelta

from payments.domain.local_time import rome_day
from payments.domain.reconciliation import TopUpsOfDay
from payments.handlers.ports import PaymentsUnitOfWork


async def top_ups_by_channel(uow: PaymentsUnitOfWork, first: date, last: date) -> list[TopUpsOfDay]:
    """Every day of [first, last], 0 where nothing was paid."""
    (start, _), (_, end) = rome_day(first), rome_day(last)
    async with uow:
        found = {t.day: t for t in await uow.top_ups.per_day(start, end)}
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [found.get(day, TopUpsOfDay(day, 0, 0)) for day in days]
