"""The office's money: paper vouchers (and their receipt), adjustments and their approval,
tariffs and the sibling discount (staff only; the money decisions a responsabile's, as the
handlers say; all audited). The school year's closing is `office_year`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Response, status
from fastapi.responses import JSONResponse

from accounts.api import documents
from accounts.api.dependencies import SettingsDep, StaffDep, UowDep, staff, today
from accounts.api.office_schemas import (
    AdjustmentAnswer,
    BandView,
    PendingView,
    PriceRow,
    SiblingDiscounts,
    TariffsView,
)
from accounts.api.schemas import Adjustment, Amount, Booked, PaperVouchers, TariffIn
from accounts.domain.tariffs import TariffBook, discount_row, price_row
from accounts.domain.vouchers import VoucherForm
from accounts.handlers import adjust_balance as adjustments
from accounts.handlers import record_paper_vouchers, voucher_receipt
from accounts.handlers import set_tariff as tariffs
from accounts.handlers.manual_booking import Booked as BookedByHand
from shared.edge import Year
from shared.http import HttpError
from shared.school_year import SchoolYear

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
FormNumber = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9/._-]+$")]


@router.post("/accounts/{account_id}/paper-vouchers", status_code=status.HTTP_201_CREATED)
async def paper_vouchers(
    account_id: uuid.UUID, body: PaperVouchers, who: StaffDep, uow: UowDep, key: IdempotencyKey = None
) -> Booked:
    """The letter's return form; with `form_number`, credited once per form (the receipt is
    `GET /office/paper-vouchers/{form_number}/receipt.pdf`)."""
    form = VoucherForm(
        account_id,
        body.student_id,
        body.count,
        body.unit_cents,
        body.received_on,
        body.received_by or who.name,
        body.form_number,
    )
    return booked(await record_paper_vouchers.record_paper_vouchers(uow, who, form, key))


@router.get("/paper-vouchers/{form_number}/receipt.pdf")
async def voucher_receipt_pdf(form_number: FormNumber, uow: UowDep, settings: SettingsDep) -> Response:
    receipt = await voucher_receipt.voucher_receipt(uow, form_number)
    return Response(
        documents.voucher_receipt_pdf(receipt, settings.municipality_name),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="ricevuta-buoni-{form_number}.pdf"'},
    )


@router.post("/accounts/{account_id}/adjustments", status_code=status.HTTP_201_CREATED, response_model=AdjustmentAnswer)
async def adjustment(
    account_id: uuid.UUID,
    body: Adjustment,
    who: StaffDep,
    uow: UowDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> Response | AdjustmentAnswer:
    """Booked at once (201) within the threshold; above it, 202 with the request a responsabile
    (another person) approves at `POST /office/adjustments/{request_id}/approve`."""
    if body.amount_cents == 0:
        raise HttpError(422, "importo_non_valido", "L'importo della rettifica non può essere zero.")
    asked = adjustments.Adjustment(account_id, body.amount_cents, body.reason, today())
    done = await adjustments.adjust_balance(uow, who, settings.approval_rule, asked, key)
    if done.booked is not None:
        return AdjustmentAnswer(state="booked", **booked(done.booked).model_dump())
    answer = AdjustmentAnswer(state="pending", request_id=done.pending)
    return JSONResponse(answer.model_dump(mode="json", exclude_none=True), status_code=status.HTTP_202_ACCEPTED)


@router.get("/adjustments")
async def pending_adjustments(uow: UowDep) -> list[PendingView]:
    """Adjustments waiting for a responsabile, oldest first."""
    return [
        PendingView(
            request_id=r.request_id,
            account_id=r.account_id,
            amount=Amount.of(r.amount_cents),
            reason=r.reason,
            requested_by=r.requested_by.name,
            requested_at=r.requested_at,
        )
        for r in await adjustments.pending_adjustments(uow)
    ]


@router.post("/adjustments/{request_id}/approve", status_code=status.HTTP_201_CREATED)
async def approve(request_id: uuid.UUID, who: StaffDep, uow: UowDep, settings: SettingsDep) -> Booked:
    return booked(await adjustments.approve_adjustment(uow, who, settings.approval_rule, request_id, today()))


@router.post("/adjustments/{request_id}/reject", status_code=status.HTTP_204_NO_CONTENT)
async def reject(request_id: uuid.UUID, who: StaffDep, uow: UowDep, settings: SettingsDep) -> None:
    await adjustments.reject_adjustment(uow, who, settings.approval_rule, request_id)


@router.get("/tariffs/{start}-{end}")
async def read_tariffs(start: Year, end: Year, uow: UowDep, settings: SettingsDep) -> TariffsView:
    """The year's bands with their prices as a timeline, and the sibling discounts; `used` marks
    the rows that priced a charged meal (they never change again)."""
    year = school_year(start, end)
    bands, book = await tariffs.tariffs_of(uow, year)
    return TariffsView(
        school_year=str(year),
        bands=[BandView(band_id=b, name=name, prices=price_rows(book, b, year)) for b, name in bands.items()],
        sibling_discounts=discount_rows(book, year),
        default_meal_cents=settings.meal_price_cents,
        default_sibling_discount_percent=settings.sibling_discount_percent,
    )


@router.put("/tariffs", status_code=status.HTTP_204_NO_CONTENT)
async def set_tariff(body: TariffIn, who: StaffDep, uow: UowDep) -> None:
    """A band and its prices from their dates (a price of € 0,00 is an exemption); a price that
    already priced a charged meal cannot change (409 `tariffa_gia_applicata`)."""
    prices = [(p.effective_from, p.meal_price_cents) for p in body.prices]
    await tariffs.set_tariff(uow, who, body.school_year, body.band_id, body.name, prices)


@router.put("/tariffs/{start}-{end}/sibling-discount", status_code=status.HTTP_204_NO_CONTENT)
async def set_sibling_discount(start: Year, end: Year, body: SiblingDiscounts, who: StaffDep, uow: UowDep) -> None:
    discounts = [(d.effective_from, d.percent) for d in body.discounts]
    await tariffs.set_sibling_discount(uow, who, school_year(start, end), discounts)


def school_year(start: int, end: int) -> SchoolYear:
    if end != start + 1 or not 2000 <= start <= 2100:
        raise HttpError(422, "anno_non_valido", "Anno scolastico non valido (es. 2025-2026).")
    return SchoolYear(start)


def price_rows(book: TariffBook, band: str, year: SchoolYear) -> list[PriceRow]:
    prices = sorted(book.prices.get((band, year), []))
    return [PriceRow(effective_from=d, value=v, used=price_row(band, year, d) in book.used) for d, v in prices]


def discount_rows(book: TariffBook, year: SchoolYear) -> list[PriceRow]:
    discounts = sorted(book.discounts.get(year, []))
    return [PriceRow(effective_from=d, value=v, used=discount_row(year, d) in book.used) for d, v in discounts]


def booked(done: BookedByHand) -> Booked:
    return Booked(entry_id=done.entry_id, balance=Amount.of(done.balance_cents))
