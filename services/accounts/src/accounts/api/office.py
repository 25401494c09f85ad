"""The school office's routes (staff only: office or admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, status

from accounts.api.dependencies import PasswordsDep, StaffDep, UowDep, admin, staff
from accounts.api.schemas import (
    Adjustment,
    Amount,
    Booked,
    Broadcast,
    BroadcastAccepted,
    ContactsIn,
    CreatedFamily,
    DebtorView,
    FamilyFoundView,
    NewEnrolment,
    NewFamily,
    NewUser,
    PaperVouchers,
    RefundView,
    TariffIn,
    YearClosingIn,
    YearClosingView,
)
from accounts.domain.exceptions import ForcedClosingNotAllowed, PasswordNotForParents
from accounts.domain.family import Contacts, Enrolment, Family, Student, valid_tax_code
from accounts.domain.users import Role
from accounts.handlers import broadcast as broadcasts
from accounts.handlers import change_contacts as contacts
from accounts.handlers import queries, record_paper_vouchers, users
from accounts.handlers import set_tariff as tariffs
from accounts.handlers.adjust_balance import adjust_balance
from accounts.handlers.close_school_year import close_school_year
from accounts.handlers.enrol_student import enrol_student
from accounts.handlers.manual_booking import Booked as BookedByHand
from accounts.handlers.register_family import register_family
from shared import local_time
from shared.edge import Year
from shared.http import HttpError
from shared.school_year import SchoolYear

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("/families", status_code=status.HTTP_201_CREATED)
async def create_family(body: NewFamily, uow: UowDep) -> CreatedFamily:
    family = _family(body)
    await register_family(uow, family)
    return CreatedFamily(account_id=family.account_id, student_ids=[s.student_id for s in family.students])


@router.get("/families")
async def search_families(uow: UowDep, q: Annotated[str, Query(min_length=2, max_length=100)]) -> list[FamilyFoundView]:
    return [
        FamilyFoundView(
            account_id=f.account_id,
            holder=f"{f.holder_first_name} {f.holder_last_name}",
            holder_tax_code=f.holder_tax_code,
            balance=Amount.of(f.balance_cents),
        )
        for f in await queries.search_families(uow, q)
    ]


@router.put("/accounts/{account_id}/contacts", status_code=status.HTTP_204_NO_CONTENT)
async def change_contacts(account_id: uuid.UUID, body: ContactsIn, uow: UowDep) -> None:
    """Contacts and the family's written refusals (diniego) per channel, as the letter asks."""
    await contacts.change_contacts(uow, account_id, _contacts(body))


@router.put("/accounts/{account_id}/students/{student_id}/enrolment", status_code=status.HTTP_204_NO_CONTENT)
async def enrol(account_id: uuid.UUID, student_id: uuid.UUID, body: NewEnrolment, uow: UowDep) -> None:
    """Enrol, transfer (new school or class) or withdraw (`active: false`) for a school year."""
    await enrol_student(uow, account_id, student_id, _enrolment(body))


@router.post("/accounts/{account_id}/paper-vouchers", status_code=status.HTTP_201_CREATED)
async def paper_vouchers(
    account_id: uuid.UUID, body: PaperVouchers, who: StaffDep, uow: UowDep, key: IdempotencyKey = None
) -> Booked:
    vouchers = record_paper_vouchers.PaperVouchers(
        account_id, body.student_id, body.count, body.unit_cents, body.received_on, who.name
    )
    return _booked(await record_paper_vouchers.record_paper_vouchers(uow, vouchers, key))


@router.post("/accounts/{account_id}/adjustments", status_code=status.HTTP_201_CREATED)
async def adjustment(
    account_id: uuid.UUID, body: Adjustment, who: StaffDep, uow: UowDep, key: IdempotencyKey = None
) -> Booked:
    if body.amount_cents == 0:
        raise HttpError(422, "importo_non_valido", "L'importo della rettifica non può essere zero.")
    return _booked(
        await adjust_balance(uow, account_id, body.amount_cents, body.reason, who.name, local_time.today(), key)
    )


@router.get("/debtors")
async def debtors(uow: UowDep) -> list[DebtorView]:
    return [
        DebtorView(
            account_id=d.account_id,
            holder=f"{d.holder_first_name} {d.holder_last_name}",
            balance=Amount.of(d.balance_cents),
            in_debt_since=d.in_debt_since,
        )
        for d in await queries.debtors(uow)
    ]


@router.get("/refunds")
async def refunds_to_pay(uow: UowDep) -> list[RefundView]:
    return [
        RefundView(
            refund_id=r.refund_id,
            account_id=r.account_id,
            amount=Amount.of(r.amount_cents),
            iban=r.iban,
            holder=f"{r.holder_first_name} {r.holder_last_name}",
            reason=r.reason,
            created_at=r.created_at,
        )
        for r in await queries.refunds_to_pay(uow)
    ]


@router.post("/school-years/{start}-{end}/closing")
async def close_year(
    start: Year, end: Year, who: StaffDep, uow: UowDep, body: YearClosingIn | None = None
) -> list[YearClosingView]:
    """From 1 July of the year's end; before, only forced by a responsabile with a reason."""
    if end != start + 1:
        raise HttpError(422, "anno_non_valido", "Anno scolastico non valido (es. 2025-2026).")
    forced = body.forced_because if body else None
    if forced and who.role is not Role.ADMIN:  # the office issue's `responsabile`
        raise ForcedClosingNotAllowed()
    year = SchoolYear(start)
    return [
        YearClosingView(
            account_id=c.year_end.account_id,
            outcome=c.year_end.outcome.value,
            amount=Amount.of(c.year_end.amount_cents),
            already_closed=c.already_closed,
        )
        for c in await close_school_year(uow, year, who.name, local_time.today(), forced)
    ]


@router.put("/tariffs", status_code=status.HTTP_204_NO_CONTENT)
async def set_tariff(body: TariffIn, uow: UowDep) -> None:
    await tariffs.set_tariff(
        uow, body.school_year, body.band_id, body.name, [(p.effective_from, p.meal_price_cents) for p in body.prices]
    )


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(body: NewUser, who: StaffDep, uow: UowDep, passwords: PasswordsDep) -> dict[str, uuid.UUID]:
    """A guardian by fiscal code (they log in with SPID or CIE), or (admins only) a staff member."""
    role = Role(body.role)
    if role is Role.PARENT:
        if body.account_id is None or body.tax_code is None:
            raise HttpError(422, "utente_non_valido", "Un genitore o tutore va registrato con codice fiscale e conto.")
        if body.password is not None:
            raise PasswordNotForParents()
        tax_code = valid_tax_code(body.tax_code, "del genitore")
        return {"user_id": await users.register_guardian(uow, body.account_id, tax_code, body.is_holder, body.email)}
    admin(who)
    if body.email is None or body.account_id is not None:
        raise HttpError(422, "utente_non_valido", "Il personale si registra con l'email, senza conto.")
    return {"user_id": await users.create_staff(uow, passwords, body.email, role, body.password)}


@router.post("/broadcasts", status_code=status.HTTP_202_ACCEPTED)
async def broadcast(body: Broadcast, uow: UowDep) -> BroadcastAccepted:
    """A message to every family with a child in a school (e.g. a service interruption)."""
    return BroadcastAccepted(
        request_id=await broadcasts.broadcast(uow, body.school_id, body.subject, body.message, body.channels)
    )


def _family(body: NewFamily) -> Family:
    return Family(
        account_id=uuid.uuid4(),
        holder_tax_code=valid_tax_code(body.holder_tax_code, "del titolare"),
        holder_first_name=body.holder_first_name,
        holder_last_name=body.holder_last_name,
        contacts=_contacts(body),
        students=[
            Student(uuid.uuid4(), valid_tax_code(s.tax_code, "dell'alunno"), s.first_name, s.last_name, _enrolment(s))
            for s in body.students
        ],
        iban=body.iban,
    )


def _contacts(body: ContactsIn) -> Contacts:
    return Contacts(body.email, body.phone, body.email_opt_out, body.sms_opt_out, body.io_opt_out)


def _enrolment(e: NewEnrolment) -> Enrolment:
    return Enrolment(e.school_year, e.school_id, e.class_id, e.diet, e.active, e.tariff_band)


def _booked(booked: BookedByHand) -> Booked:
    return Booked(entry_id=booked.entry_id, balance=Amount.of(booked.balance_cents))
