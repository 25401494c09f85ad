"""Buoni cartacei (the return form, its receipt), Rettifiche (with a preview of the new balance,
and a responsabile's approval above the threshold), Tariffe (bands, prices with their dates,
the sibling discount). The forms call the handlers the JSON API calls."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from accounts.api import documents
from accounts.api.dependencies import SettingsDep, UowDep, today
from accounts.domain.exceptions import AccountsError
from accounts.domain.users import Permission
from accounts.domain.vouchers import VoucherForm
from accounts.handlers import adjust_balance as adjustments
from accounts.handlers import queries, record_paper_vouchers, voucher_receipt
from accounts.handlers import set_tariff as tariffs
from accounts.web.office import StaffPageDep, office_router, page
from shared.school_year import SchoolYear
from shared.web.forms import EuroCents, form_values, parse_form

router = office_router()
VOUCHERS = ("Buoni cartacei", "/ufficio/buoni")
ADJUSTMENTS = ("Rettifiche", "/ufficio/rettifiche")
TARIFFS = ("Tariffe", "/ufficio/tariffe")
FORM_NUMBER = r"^[A-Za-z0-9/._-]{1,40}$"


class VoucherFields(BaseModel):
    account_id: uuid.UUID
    student_id: uuid.UUID
    form_number: str = Field(pattern=FORM_NUMBER)
    count: int = Field(gt=0, le=1000)
    unit_cents: EuroCents = Field(gt=0, le=100_000)
    received_on: date
    received_by: str = Field(min_length=1, max_length=200)


class AdjustmentFields(BaseModel):
    direction: Literal["accredito", "addebito"]
    amount_cents: EuroCents = Field(gt=0, le=10_000_000)
    reason: str = Field(min_length=3, max_length=500)

    @property
    def signed_cents(self) -> int:
        return self.amount_cents if self.direction == "accredito" else -self.amount_cents


class PriceFields(BaseModel):
    school_year: str = Field(pattern=r"^\d{4}/\d{4}$")
    band_id: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1, max_length=100)
    effective_from: date
    price_cents: EuroCents = Field(ge=0, le=100_000)


class DiscountFields(BaseModel):
    school_year: str = Field(pattern=r"^\d{4}/\d{4}$")
    effective_from: date = Field(validation_alias="discount_from")  # a field of its own on the tariffs page
    percent: int = Field(ge=0, le=100)


@router.get("/buoni")
async def vouchers(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    q: Annotated[str, Query(max_length=100)] = "",
    alunno: uuid.UUID | None = None,
) -> Response:
    """Find the pupil (by name or fiscal code), then fill the form of the letter."""
    found = await queries.search_students(uow, q) if len(q.strip()) >= 2 else None
    pupil = await queries.pupil(uow, alunno) if alunno else None
    values = {"received_on": today().isoformat(), "received_by": who.name, "unit_cents": "4,50"}
    context = {"q": q, "found": found, "pupil": pupil, "values": values, "errors": {}}
    block = "risultati" if request.headers.get("HX-Request") == "true" and alunno is None else None
    return page(request, "ufficio/buoni.html", who, "buoni", [VOUCHERS], context, block=block)


@router.post("/buoni")
async def record_vouchers(request: Request, who: StaffPageDep, uow: UowDep) -> Response:
    values = form_values(await request.form())
    parsed, errors = parse_form(VoucherFields, values)
    if parsed is None:
        return await _voucher_form(request, who, uow, values, errors)
    form = VoucherForm(
        parsed.account_id,
        parsed.student_id,
        parsed.count,
        parsed.unit_cents,
        parsed.received_on,
        parsed.received_by,
        parsed.form_number,
    )
    try:
        booked = await record_paper_vouchers.record_paper_vouchers(uow, who, form)
    except AccountsError as refused:
        return await _voucher_form(request, who, uow, values, {"form_number": refused.message}, 409)
    again = "&gia=1" if booked.already else ""
    return RedirectResponse(f"/ufficio/buoni/esito?modulo={parsed.form_number}{again}", status_code=303)


async def _voucher_form(
    request: Request, who: StaffPageDep, uow: UowDep, values: dict[str, Any], errors: dict[str, str], status: int = 422
) -> Response:
    student = values.get("student_id", "")
    pupil = await queries.pupil(uow, uuid.UUID(student)) if _is_uuid(student) else None
    context = {"q": "", "found": None, "pupil": pupil, "values": values, "errors": errors}
    return page(request, "ufficio/buoni.html", who, "buoni", [VOUCHERS], context, status)


@router.get("/buoni/esito")
async def voucher_recorded(
    request: Request, who: StaffPageDep, uow: UowDep, modulo: Annotated[str, Query(pattern=FORM_NUMBER)], gia: int = 0
) -> Response:
    receipt = await voucher_receipt.voucher_receipt(uow, modulo)
    context = {"receipt": receipt, "already": gia == 1}
    return page(request, "ufficio/buoni_esito.html", who, "buoni", [VOUCHERS, (f"Modulo {modulo}", "")], context)


@router.get("/buoni/{form_number}/ricevuta.pdf")
async def voucher_receipt_pdf(form_number: str, who: StaffPageDep, uow: UowDep, settings: SettingsDep) -> Response:
    receipt = await voucher_receipt.voucher_receipt(uow, form_number)
    return Response(
        documents.voucher_receipt_pdf(receipt, settings.municipality_name),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="ricevuta-buoni-{form_number}.pdf"'},
    )


@router.get("/rettifiche")
async def adjustments_waiting(request: Request, who: StaffPageDep, uow: UowDep, esito: str = "") -> Response:
    context = {
        "waiting": await adjustments.pending_adjustments(uow),
        "outcome": esito,
        "decides": who.may(Permission.MONEY),
    }
    return page(request, "ufficio/rettifiche.html", who, "rettifiche", [ADJUSTMENTS], context)


@router.post("/rettifiche/{request_id}/{decision}")
async def decide(
    request: Request,
    request_id: uuid.UUID,
    decision: Literal["approva", "respingi"],
    who: StaffPageDep,
    uow: UowDep,
    settings: SettingsDep,
) -> Response:
    if decision == "approva":
        await adjustments.approve_adjustment(uow, who, settings.approval_rule, request_id, today())
    else:
        await adjustments.reject_adjustment(uow, who, settings.approval_rule, request_id)
    return RedirectResponse(f"/ufficio/rettifiche?esito={'approvata' if decision == 'approva' else 'respinta'}", 303)


@router.get("/famiglie/{account_id}/rettifica")
async def adjustment_form(request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep) -> Response:
    return await _adjustment(request, who, uow, account_id, {"direction": "addebito"}, {})


@router.post("/famiglie/{account_id}/rettifica")
async def adjust(
    request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep, settings: SettingsDep
) -> Response:
    values = form_values(await request.form())
    parsed, errors = parse_form(AdjustmentFields, values)
    fragment = "anteprima" if request.headers.get("HX-Request") == "true" else None  # htmx asks for the preview
    if parsed is None:
        return await _adjustment(request, who, uow, account_id, values, errors, status=422, block=fragment)
    if values.get("azione") == "anteprima" or fragment:
        preview = await adjustments.preview_adjustment(uow, settings.approval_rule, account_id, parsed.signed_cents)
        return await _adjustment(request, who, uow, account_id, values, {}, preview=preview, block=fragment)
    asked = adjustments.Adjustment(account_id, parsed.signed_cents, parsed.reason, today())
    done = await adjustments.adjust_balance(uow, who, settings.approval_rule, asked, values.get("chiave"))
    if done.pending is not None:
        return RedirectResponse("/ufficio/rettifiche?esito=attesa", status_code=303)
    return RedirectResponse(f"/ufficio/famiglie/{account_id}#movimenti-titolo", status_code=303)


async def _adjustment(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    account_id: uuid.UUID,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    preview: adjustments.Preview | None = None,
    block: str | None = None,
) -> Response:
    account = await queries.account(uow, account_id, who)
    holder = f"{account.holder_first_name} {account.holder_last_name}"
    values = {"chiave": uuid.uuid4().hex} | values  # one key per form shown: a double submit books once
    context = {"account": account, "values": values, "errors": errors, "preview": preview, "hx_fragment": bool(block)}
    trail = [("Famiglie", "/ufficio/famiglie"), (holder, f"/ufficio/famiglie/{account_id}"), ("Rettifica", "")]
    return page(request, "ufficio/rettifica.html", who, "rettifiche", trail, context, status, block)


@router.get("/tariffe")
async def tariffs_page(
    request: Request, who: StaffPageDep, uow: UowDep, settings: SettingsDep, anno: str = ""
) -> Response:
    return await _tariffs(request, who, uow, settings, _year(anno), {}, {})


@router.post("/tariffe/{what}")
async def set_tariffs(
    request: Request, what: Literal["prezzo", "sconto"], who: StaffPageDep, uow: UowDep, settings: SettingsDep
) -> Response:
    values = form_values(await request.form())
    year = _year(str(values.get("school_year", "")).replace("/", "-"))
    parsed, errors = parse_form(PriceFields if what == "prezzo" else DiscountFields, values)
    if parsed is None:
        return await _tariffs(request, who, uow, settings, year, {what: values}, {what: errors}, 422)
    try:
        await _apply(uow, who, parsed)
    except AccountsError as refused:
        return await _tariffs(
            request, who, uow, settings, year, {what: values}, {what: {"modulo": refused.message}}, 409
        )
    return RedirectResponse(f"/ufficio/tariffe?anno={year.start}-{year.start + 1}", 303)


async def _apply(uow: UowDep, who: StaffPageDep, parsed: BaseModel) -> None:
    if isinstance(parsed, PriceFields):
        prices = [(parsed.effective_from, parsed.price_cents)]
        await tariffs.set_tariff(uow, who, parsed.school_year, parsed.band_id, parsed.name, prices)
    elif isinstance(parsed, DiscountFields):
        year = SchoolYear.parse(parsed.school_year)
        await tariffs.set_sibling_discount(uow, who, year, [(parsed.effective_from, parsed.percent)])


async def _tariffs(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    settings: SettingsDep,
    year: SchoolYear,
    values: dict[str, Any],
    errors: dict[str, dict[str, str]],
    status: int = 200,
) -> Response:
    bands, book = await tariffs.tariffs_of(uow, year)
    this = SchoolYear.of(today())
    context = {
        "year": year,
        "years": [SchoolYear(this.start - 1), this, this.next()],
        "bands": bands,
        "book": book,
        "today": today(),
        "default_cents": settings.meal_price_cents,
        "default_discount": settings.sibling_discount_percent,
        "edits": who.may(Permission.MONEY),
        "values": values,
        "errors": errors,
    }
    return page(request, "ufficio/tariffe.html", who, "tariffe", [TARIFFS], context, status)


def _year(anno: str) -> SchoolYear:
    """`2026-2027` (the address's form), else this school year."""
    try:
        return SchoolYear.parse(anno.replace("-", "/"))
    except ValueError:
        return SchoolYear.of(today())


def _is_uuid(text: object) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True
