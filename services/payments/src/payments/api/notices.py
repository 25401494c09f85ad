"""Internal routes for the accounts gateway (service credential): notices, their changes, their PDF,
their online payment.

A notice's `state` is open, paid, expired, cancelling (the office cancelled it and our station
refuses it, but ACA has not yet invalidated it, so the node's Stand-In could still take a payment)
or cancelled; `aca` tells where its registration in pagoPA's ACA stands."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, Field, field_validator, model_validator

from payments.adapters import notice_pdf
from payments.api.aca import AcaOut
from payments.api.dependencies import CheckoutDep, ClockDep, CreditorDep, UowDep
from payments.domain.aca import NoticeView
from payments.domain.creditor import Creditor
from payments.domain.local_time import rome_date
from payments.domain.notice import ListedNotice, NoticeNumber, NoticeState, qr_payload
from payments.handlers.cancel_notice import cancel_notice
from payments.handlers.change_notice import ChangeNotice, change_notice
from payments.handlers.create_notice import CreateNotice, create_notice
from payments.handlers.get_notice import get_notice
from payments.handlers.list_notices import list_notices
from payments.handlers.start_checkout import StartCheckout, start_checkout
from shared.dependencies import acting_person, named_person, require_service, staff_person
from shared.edge import PDF_ANSWER, PlausibleDate, cents
from shared.edge import NoticeNumber as NoticeNumberPath
from shared.money import format_euro
from shared.tax_code import InvalidTaxCode, normalise_tax_code

# The gateway names the person it acts for (`shared.acting`): verified whenever named; changing or
# cancelling a notice is the office's, so it needs a member of staff.
router = APIRouter(
    prefix="/internal/notices", tags=["internal"], dependencies=[Depends(require_service), Depends(acting_person)]
)


class NoticeIn(BaseModel):
    account_id: uuid.UUID
    amount_cents: int = cents(description="Whole cents, up to pagoPA's maximum of € 999.999.999,99")
    debtor_tax_code: str
    debtor_name: str = Field(min_length=1, max_length=70)
    due_date: PlausibleDate | None = Field(default=None, description="Default: the configured validity from today")

    _due_date = field_validator("due_date")(lambda value: _not_past(value))

    @field_validator("debtor_tax_code")
    @classmethod
    def _tax_code(cls, value: str) -> str:
        try:
            return normalise_tax_code(value)
        except InvalidTaxCode as error:
            raise ValueError("codice fiscale non valido") from error


def _not_past(value: date | None) -> date | None:
    # Checked at the edge against the wall clock, like the rest of the request's shape.
    if value is not None and value < rome_date(datetime.now(UTC)):
        raise ValueError("la scadenza non può essere nel passato")
    return value


class NoticeChangeIn(BaseModel):
    amount_cents: int | None = Field(default=None, gt=0)
    due_date: date | None = None

    _due_date = field_validator("due_date")(lambda value: _not_past(value))

    @model_validator(mode="after")
    def _something(self) -> NoticeChangeIn:
        if self.amount_cents is None and self.due_date is None:
            raise ValueError("indicare un nuovo importo o una nuova scadenza")
        return self


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
    activated: bool = Field(description="A PSP activated it: it can be neither changed nor cancelled")
    aca: AcaOut | None

    @classmethod
    def of(cls, view: NoticeView, creditor: Creditor) -> NoticeOut:
        notice = view.notice
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
            activated=notice.activated_at is not None,
            aca=AcaOut.of(view.aca),
        )


class ListedNoticeOut(BaseModel):
    notice_number: str
    printed_notice_number: str
    amount_cents: int
    amount_display: str
    due_date: date
    state: NoticeState
    activated: bool = Field(description="A PSP activated it: it can be neither changed nor cancelled")
    created_at: datetime

    @classmethod
    def of(cls, listed: ListedNotice) -> ListedNoticeOut:
        notice = listed.notice
        return cls(
            notice_number=notice.notice_number,
            printed_notice_number=NoticeNumber(notice.notice_number).printed,
            amount_cents=notice.amount_cents,
            amount_display=format_euro(notice.amount_cents),
            due_date=notice.due_date,
            state=notice.state,
            activated=notice.activated_at is not None,
            created_at=listed.created_at,
        )


@router.get("")
async def account_notices(account_id: uuid.UUID, uow: UowDep, clock: ClockDep) -> list[ListedNoticeOut]:
    """A family's notices, newest first (at most 200), with their state today."""
    return [ListedNoticeOut.of(listed) for listed in await list_notices(uow, account_id, clock)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def post_notice(body: NoticeIn, uow: UowDep, creditor: CreditorDep, clock: ClockDep) -> NoticeOut:
    notice = await create_notice(uow, CreateNotice(**body.model_dump()), creditor, clock)
    return NoticeOut.of(notice, creditor)


@router.get("/{notice_number}")
async def read_notice(
    notice_number: NoticeNumberPath, uow: UowDep, creditor: CreditorDep, clock: ClockDep
) -> NoticeOut:
    return NoticeOut.of(await get_notice(uow, notice_number, clock), creditor)


@router.patch("/{notice_number}", dependencies=[Depends(staff_person)])
async def patch_notice(
    notice_number: NoticeNumberPath, body: NoticeChangeIn, uow: UowDep, creditor: CreditorDep, clock: ClockDep
) -> NoticeOut:
    """Another amount or due date for an open notice no PSP has activated (sent to ACA too)."""
    command = ChangeNotice(notice_number, body.amount_cents, body.due_date)
    return NoticeOut.of(await change_notice(uow, command, creditor, clock), creditor)


@router.get("/{notice_number}/pdf", response_class=Response, responses=PDF_ANSWER)
async def get_notice_pdf(
    notice_number: NoticeNumberPath, uow: UowDep, creditor: CreditorDep, clock: ClockDep
) -> Response:
    pdf = notice_pdf.render((await get_notice(uow, notice_number, clock)).notice, creditor)
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


@router.post("/{notice_number}/cancel", dependencies=[Depends(named_person)])
async def post_cancel(
    notice_number: NoticeNumberPath, uow: UowDep, creditor: CreditorDep, clock: ClockDep
) -> NoticeOut:
    """Our station refuses it at once; it reads `cancelling` until ACA has invalidated it. By a
    named person: the office, or the holder from the portal (the gateway checks it is their own)."""
    return NoticeOut.of(await cancel_notice(uow, notice_number, creditor, clock), creditor)
