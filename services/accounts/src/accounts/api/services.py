"""Gateway routes that another service answers: attendance, payment notices, delivery logs.

The parent's access is checked here and by the handlers (own account, own children); the other
service is called with the service credential.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from accounts.api.dependencies import AccountDep, GatewaysDep, UowDep, staff
from accounts.api.schemas import Forwarded, TopUp, TopUpStarted
from accounts.handlers import attendance_of_student as school_days
from accounts.handlers import deliveries as delivery_log
from accounts.handlers import notice_pdf as notices
from accounts.handlers import request_top_up as top_ups
from shared.edge import PDF_ANSWER, Month, NoticeNumber, PlausibleDate

router = APIRouter(tags=["accounts"])
office = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])


@router.get("/accounts/{account_id}/students/{student_id}/attendance")
async def attendance(
    account_id: AccountDep,
    student_id: uuid.UUID,
    uow: UowDep,
    other: GatewaysDep,
    month: Annotated[Month, Query()],
) -> Forwarded:
    """A child's attendance in a month, with the corrections and who made them."""
    found = await school_days.student_attendance(uow, other.attendance, account_id, student_id, month)
    return Forwarded(**found)


@router.post(
    "/accounts/{account_id}/students/{student_id}/absences/{service_date}", status_code=status.HTTP_201_CREATED
)
async def announce_absence(
    account_id: AccountDep, student_id: uuid.UUID, service_date: PlausibleDate, uow: UowDep, other: GatewaysDep
) -> Forwarded:
    """A parent announces an absence; after the school's cut-off the answer is 409 `troppo_tardi`."""
    announced = await school_days.announce_absence(uow, other.attendance, account_id, student_id, service_date)
    return Forwarded(**announced)


@router.post("/accounts/{account_id}/top-ups", status_code=status.HTTP_201_CREATED, response_model_exclude_unset=True)
async def top_up(account_id: AccountDep, body: TopUp, uow: UowDep, other: GatewaysDep) -> TopUpStarted:
    """Esegui ricarica: a pagoPA notice for the holder, printable for a counter; with `online`,
    also the pagoPA Checkout page to pay it now; with `send_to_io`, also a message in the
    holder's app IO to pay it from (sent by notifications, when the holder is on IO)."""
    started = await top_ups.request_top_up(
        uow, other.payments, account_id, body.amount_cents, body.online, body.send_to_io
    )
    pdf_url = f"/accounts/{account_id}/notices/{started.notice['notice_number']}.pdf"
    online = {"checkout_url": started.checkout_url} if started.checkout_url else {}
    return TopUpStarted(**(started.notice | {"pdf_url": pdf_url} | online))


@router.get("/accounts/{account_id}/notices/{notice_number}.pdf", response_class=Response, responses=PDF_ANSWER)
async def notice_pdf(account_id: AccountDep, notice_number: NoticeNumber, other: GatewaysDep) -> Response:
    return Response(
        await notices.notice_pdf(other.payments, account_id, notice_number),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="avviso-{notice_number}.pdf"'},
    )


@office.get("/accounts/{account_id}/deliveries")
async def deliveries(account_id: uuid.UUID, other: GatewaysDep) -> list[Forwarded]:
    """The family's messages: cause, channel (email, sms, io), state (sent, failed,
    suppressed, deferred, unreachable: not on IO)."""
    return [Forwarded(**d) for d in await delivery_log.deliveries(other.notifications, account_id)]
