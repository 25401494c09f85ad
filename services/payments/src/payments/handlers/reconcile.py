"""The day's reconciliation report (a Rome day). Reads only; emits nothing.

Rows in the report: notices created or closed that day, receipts received that day, the
`payment-received` events queued that day (from the outbox, published or not), and anomalies
received that day or still unresolved; the report itself finds what does not add up.
"""

from __future__ import annotations

from datetime import date

from payments.domain.local_time import rome_day
from payments.domain.reconciliation import Report
from payments.handlers.ports import PaymentsUnitOfWork


async def reconcile(uow: PaymentsUnitOfWork, day: date) -> Report:
    start, end = rome_day(day)
    async with uow:
        book = uow.day_book
        return Report(
            day=day.isoformat(),
            notices=await book.notices(start, end),
            receipts=await book.receipts(start, end),
            events=await book.payments_received(start, end),
            anomalies=await book.anomalies(start, end),
        )
