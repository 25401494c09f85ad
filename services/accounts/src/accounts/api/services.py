"""Gateway routes that another service answers: attendance, payment notices, delivery logs.

The parent's access is checked here (own account, own children); the other service is called
with the service credential.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from accounts.adapters.services_http import call
from accounts.adapters.tables import account, student
from accounts.api.dependencies import AccountDep, SettingsDep, staff
from accounts.domain.exceptions import AccountNotFound, StudentNotFound
from shared.dependencies import InfraDep

router = APIRouter(tags=["accounts"])
office = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])


class TopUp(BaseModel):
    amount_cents: int = Field(gt=0, description="Any positive whole number of cents: no minimum, no maximum")
    online: bool = Field(default=False, description="Pay now on pagoPA Checkout: the answer has `checkout_url`")


async def _own_student(infra: InfraDep, account_id: uuid.UUID, student_id: uuid.UUID) -> None:
    async with infra.engine.connect() as conn:
        owner = await conn.scalar(select(student.c.account_id).where(student.c.id == student_id))
    if owner != account_id:
        raise StudentNotFound()


@router.get("/accounts/{account_id}/students/{student_id}/attendance")
async def attendance(
    account_id: AccountDep,
    student_id: uuid.UUID,
    infra: InfraDep,
    settings: SettingsDep,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")],
) -> dict[str, Any]:
    """A child's attendance in a month, with the corrections and who made them."""
    await _own_student(infra, account_id, student_id)
    url = f"{settings.attendance_url}/internal/students/{student_id}/attendance"
    response = await call("GET", url, settings.service_token, params={"month": month})
    return dict(response.json())


@router.post(
    "/accounts/{account_id}/students/{student_id}/absences/{service_date}", status_code=status.HTTP_201_CREATED
)
async def announce_absence(
    account_id: AccountDep, student_id: uuid.UUID, service_date: date, infra: InfraDep, settings: SettingsDep
) -> dict[str, Any]:
    """A parent announces an absence; after the school's cut-off the answer is 409 `troppo_tardi`."""
    await _own_student(infra, account_id, student_id)
    url = f"{settings.attendance_url}/internal/students/{student_id}/absences/{service_date}"
    return dict((await call("POST", url, settings.service_token)).json())


@router.post("/accounts/{account_id}/top-ups", status_code=status.HTTP_201_CREATED)
async def top_up(account_id: AccountDep, body: TopUp, infra: InfraDep, settings: SettingsDep) -> dict[str, Any]:
    """Esegui ricarica: a pagoPA notice for the holder, printable for a counter; with `online`,
    also the pagoPA Checkout page to pay it now."""
    async with infra.engine.connect() as conn:
        holder = (
            await conn.execute(
                select(account.c.holder_tax_code, account.c.holder_first_name, account.c.holder_last_name).where(
                    account.c.id == account_id
                )
            )
        ).first()
    if holder is None:
        raise AccountNotFound(account_id)
    notice = {
        "account_id": str(account_id),
        "amount_cents": body.amount_cents,
        "debtor_tax_code": holder.holder_tax_code,
        "debtor_name": f"{holder.holder_first_name} {holder.holder_last_name}"[:70],
    }
    response = await call("POST", f"{settings.payments_url}/internal/notices", settings.service_token, json=notice)
    created = dict(response.json())
    created["pdf_url"] = f"/accounts/{account_id}/notices/{created['notice_number']}.pdf"
    if body.online:
        checkout = await call(
            "POST",
            f"{settings.payments_url}/internal/notices/{created['notice_number']}/checkout",
            settings.service_token,
            json={"return_url": f"{settings.portal_url}/ricarica/esito"},
        )
        created["checkout_url"] = checkout.json()["checkout_url"]
    return created


@router.get("/accounts/{account_id}/notices/{notice_number}.pdf")
async def notice_pdf(account_id: AccountDep, notice_number: str, settings: SettingsDep) -> Response:
    base = f"{settings.payments_url}/internal/notices/{notice_number}"
    notice = (await call("GET", base, settings.service_token)).json()
    if notice.get("account_id") != str(account_id):
        raise AccountNotFound(account_id)  # another family's notice: as if it did not exist
    pdf = await call("GET", f"{base}/pdf", settings.service_token)
    return Response(
        pdf.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="avviso-{notice_number}.pdf"'},
    )


@office.get("/accounts/{account_id}/deliveries")
async def deliveries(account_id: uuid.UUID, settings: SettingsDep) -> list[dict[str, Any]]:
    """The family's messages: cause, channel, state (sent, failed, suppressed, deferred)."""
    url = f"{settings.notifications_url}/internal/accounts/{account_id}/deliveries"
    return list((await call("GET", url, settings.service_token)).json())
