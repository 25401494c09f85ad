"""Internal routes for the accounts gateway (service credential): notices and their PDF."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from pydantic import BaseModel, Field, field_validator

from payments.adapters import checkout, notice_pdf, notices
from payments.adapters.node_messages import ROME
from payments.config import PaymentsSettings
from payments.domain.exceptions import NoticeNotCancellable, NoticeNotFound, NoticeNotPayable
from payments.domain.notice import Notice, NoticeNumber, NoticeState
from payments.handlers.create_notice import CreateNotice, Creditor, create_notice
from shared.dependencies import InfraDep, require_service
from shared.money import format_euro
from shared.service import Infrastructure
from shared.tax_code import InvalidTaxCode, normalise_tax_code

router = APIRouter(prefix="/internal/notices", tags=["internal"], dependencies=[Depends(require_service)])


class NoticeIn(BaseModel):
    account_id: uuid.UUID
    amount_cents: int = Field(gt=0, description="Any positive whole number of cents: no minimum, no maximum")
    debtor_tax_code: str
    debtor_name: str = Field(min_length=1, max_length=70)
    due_date: date | None = Field(default=None, description="Default: the configured validity from today")

    @field_validator("due_date")
    @classmethod
    def _not_past(cls, value: date | None) -> date | None:
        if value is not None and value < _today():
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


def _settings(infra: Infrastructure) -> PaymentsSettings:
    assert isinstance(infra.settings, PaymentsSettings)
    return infra.settings


def _out(notice: Notice, settings: PaymentsSettings, today: date) -> NoticeOut:
    return NoticeOut(
        notice_number=notice.notice_number,
        printed_notice_number=NoticeNumber(notice.notice_number).printed,
        iuv=notice.iuv,
        creditor_fiscal_code=settings.creditor_fiscal_code,
        account_id=notice.account_id,
        amount_cents=notice.amount_cents,
        amount_display=format_euro(notice.amount_cents),
        description=notice.description,
        due_date=notice.due_date,
        state=notice.state_on(today),
        qr_code=notice_pdf.qr_payload(notice, settings.creditor_fiscal_code),
    )


def _today() -> date:
    return datetime.now(ROME).date()


async def _get(infra: Infrastructure, notice_number: str) -> Notice:
    async with infra.unit_of_work() as uow:
        notice = await notices.get(uow, notice_number)
    if notice is None:
        raise NoticeNotFound()
    return notice


NoticeNumberPath = Annotated[str, Path(pattern=r"^\d{18}$")]


@router.post("", status_code=status.HTTP_201_CREATED)
async def post_notice(body: NoticeIn, infra: InfraDep) -> NoticeOut:
    settings = _settings(infra)
    creditor = Creditor(settings.creditor_fiscal_code, settings.segregation_code, settings.notice_validity_days)
    async with infra.unit_of_work() as uow:
        notice = await create_notice(uow, CreateNotice(**body.model_dump()), creditor, _today())
    return _out(notice, settings, _today())


@router.get("/{notice_number}")
async def get_notice(notice_number: NoticeNumberPath, infra: InfraDep) -> NoticeOut:
    return _out(await _get(infra, notice_number), _settings(infra), _today())


@router.get("/{notice_number}/pdf", response_class=Response)
async def get_notice_pdf(notice_number: NoticeNumberPath, infra: InfraDep) -> Response:
    settings = _settings(infra)
    creditor = notice_pdf.CreditorInfo(
        settings.creditor_fiscal_code, settings.creditor_name, settings.creditor_office, settings.cbill_code
    )
    pdf = notice_pdf.render(await _get(infra, notice_number), creditor)
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
async def start_checkout(notice_number: NoticeNumberPath, body: CheckoutIn, infra: InfraDep) -> CheckoutOut:
    """Online payment of an open notice: the pagoPA Checkout page to redirect the parent to."""
    settings = _settings(infra)
    notice = await _get(infra, notice_number)
    if notice.state_on(_today()) is not NoticeState.OPEN:
        raise NoticeNotPayable()
    cart_id = uuid.uuid4().hex
    cart = checkout.CartNotice(
        notice.notice_number,
        settings.creditor_fiscal_code,
        notice.amount_cents,
        settings.creditor_name,
        notice.description,
    )
    url = await checkout.start_cart(
        settings.checkout_api_url, settings.checkout_subscription_key, cart_id, cart, body.return_url, body.email
    )
    return CheckoutOut(notice_number=notice_number, cart_id=cart_id, checkout_url=url)


@router.post("/{notice_number}/cancel")
async def cancel_notice(notice_number: NoticeNumberPath, infra: InfraDep) -> NoticeOut:
    async with infra.unit_of_work() as uow:
        notice = await notices.get(uow, notice_number, for_update=True)
        if notice is None:
            raise NoticeNotFound()
        if notice.state_on(_today()) is not NoticeState.OPEN:
            raise NoticeNotCancellable()
        await notices.close(uow, notice_number, NoticeState.CANCELLED)
        await uow.commit()
    return _out(await _get(infra, notice_number), _settings(infra), _today())
