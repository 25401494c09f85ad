"""The office sends a notice's refused change to ACA again (once the cause is fixed: a subscription
key, the creditor's onboarding): its latest change, if it failed, is pending again. Emits nothing."""

from __future__ import annotations

from payments.domain.aca import AcaStatus
from payments.domain.notice import known
from payments.handlers.ports import Clock, PaymentsUnitOfWork


async def retry_in_aca(uow: PaymentsUnitOfWork, notice_number: str, clock: Clock) -> AcaStatus | None:
    async with uow:
        known(await uow.notices.get(notice_number))
        status = await uow.aca_changes.retry_failed(notice_number, clock())
        await uow.commit()
    return status
