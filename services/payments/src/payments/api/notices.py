"""Internal routes for the accounts gateway (service credential): notices, their PDF, their online payment."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, Field, field_validator

from payments.adapters import notice_pdf
from payments.api.dependencies import CheckoutDep, ClockDep, CreditorDep, UowDep
from payments.domain.creditor import Creditor
from payments.domain.local_time import rome_date
from payments.domain.notice import Notice, NoticeNumber, NoticeState, qr_payload
from payments.handlers.cancel_notice import cancel_notice
from payments.handlers.create_notice import CreateNotice, create_notice
from payments.handlers.get_notice import get_notice
from payments.handlers.start_checkout import StartCheckout, start_checkout
from shared.dependencies import require_service
from shared.edge import PDF_ANSWER, PlausibleDate, cents
from shared.edge import NoticeNumber as NoticeNumberPath
from shared.money import format_euro
from shared.tax_code import InvalidTaxCode, normalise_tax_code

router = APIRouter(prefix="/internal/notices", tags=["internal"], dependencies=[Depends(require_service)])


class NoticeIn(BaseModel):
    account_id: uuid.UUID
    amount_cents: int = cents(description="Whole cents, up to pagoPA's maximum of € 999.999.999,99")
    debtor_tax_code: str
    debtor_name: str = Field(min_length=1, max_length=70)
    due_date: PlausibleDate | None = Field(default=None, description="Default: the configured validity from today")

    @field_validator("due_date")
    @classmethod
    def _not_past(cls, value: date | None) -> date | None:
        # Checked at the edge against the wall clock, like the rest of the request's shape.
        if value is not None and value < rome_date(datetime.now(UTC)):
            raise ValueError("la scadenza non può essere nel passato")
        return value

    @field_validator("debtor_tax_code")
    @classmethod
    def _tax_code(cls, value: str) -> str:
        try:
            return normalise_tax_code(value)
        except InvalidTaxCode as error:
            raise ValueError("codice fiscale non valido") from error


class NoticeOut(BaseModel):
    notice_number: str
    printed_notice_number: str
    iuv: str
    creditor_fiscal_code: str
    account_id: uuid.UUID
    amount_cents: int
    amount_display: str
    description: str
    due_date: date
    state: NoticeState
    qr_code: str

    @classmethod
    def of(cls, notice: Notice, creditor: Creditor) -> NoticeOut:
        return cls(
            notice_number=notice.notice_number,
            printed_notice_number=NoticeNumber(notice.notice_number).printed,
            iuv=notice.iuv,
            creditor_fiscal_code=creditor.fiscal_code,
            account_id=notice.account_id,
            amount_cents=notice.amount_cents,
            amount_display=format_euro(notice.amount_cents),
            description=notice.description,
            due_date=notice.due_date,
            state=notice.state,
            qr_code=qr_payload(notice, creditor.fiscal_code),
        )


@router.post("", status_code=status.HTTP_201_CREATED)
async def post_notice(body: NoticeIn, uow: UowDep, creditor: CreditorDep, clock: ClockDep) -> NoticeOut:
    notice = await create_notice(uow, CreateNotice(**body.model_dump()), creditor, clock)
    return NoticeOut.of(notice, creditor)


@router.get("/{notice_number}")
async def read_notice(
    notice_number: NoticeNumberPath, uow: UowDep, creditor: CreditorDep, clock: ClockDep
) -> NoticeOut:
    return NoticeOut.of(await get_notice(uow, notice_number, clock), creditor)


@router.get("/{notice_number}/pdf", response_class=Response, responses=PDF_ANSWER)
async def get_notice_pdf(
    notice_number: NoticeNumberPath, uow: UowDep, creditor: CreditorDep, clock: ClockDep
) -> Response:
    pdf = notice_pdf.render(await get_notice(uow, notice_number, clock), creditor)
    disposition = f'inline; filename="avviso-{notice_number}.pdf"'
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})


class CheckoutIn(BaseModel):
    return_url: str = Field(pattern=r"^https?://", max_length=500, description="Where Checkout sends the parent back")
    email: str | None = Field(default=None, max_length=254, description="Where Checkout sends the payment outcome")


class CheckoutOut(BaseModel):
    notice_number: str
    cart_id: str
    checkout_url: str


@router.post("/{notice_number}/checkout")
async def post_checkout(
    notice_number: NoticeNumberPath,
    body: CheckoutIn,
    uow: UowDep,
    checkout: CheckoutDep,
    creditor: CreditorDep,
    clock: ClockDep,
) -> CheckoutOut:
    """Online payment of an open notice: the pagoPA Checkout page to redirect the parent to."""
    command = StartCheckout(notice_number, body.return_url, body.email)
    started = await start_checkout(uow, command, checkout, creditor, clock)
    return CheckoutOut(notice_number=started.notice_number, cart_id=started.cart_id, checkout_url=started.checkout_url)


@router.post("/{notice_number}/cancel")
async def post_cancel(
    notice_number: NoticeNumberPath, uow: UowDep, creditor: CreditorDep, clock: ClockDep
) -> NoticeOut:
    return NoticeOut.of(await cancel_notice(uow, notice_number, clock), creditor)
