"""The school office's routes (staff only: office or admin)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, status

from accounts.adapters import idempotency
from accounts.api.dependencies import StaffDep, admin, staff
from accounts.api.schemas import (
    Adjustment,
    Amount,
    Booked,
    Broadcast,
    ContactsIn,
    CreatedFamily,
    NewEnrolment,
    NewFamily,
    NewUser,
    PaperVouchers,
    TariffIn,
)
from accounts.domain.exceptions import PasswordNotForParents
from accounts.domain.family import Contacts, Enrolment, Family, Student, valid_tax_code
from accounts.domain.ledger import Posted
from accounts.domain.users import Role
from accounts.handlers import office_movements, queries, register_family, tariffs, users
from accounts.handlers.close_school_year import close_school_year
from shared.dependencies import InfraDep, UowDep
from shared.events import NotificationRequested, Template
from shared.http import HttpError

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("/families", status_code=status.HTTP_201_CREATED)
async def create_family(body: NewFamily, uow: UowDep) -> CreatedFamily:
    family = Family(
        account_id=uuid.uuid4(),
        holder_tax_code=valid_tax_code(body.holder_tax_code, "del titolare"),
        holder_first_name=body.holder_first_name,
        holder_last_name=body.holder_last_name,
        contacts=Contacts(body.email, body.phone, body.email_opt_out, body.sms_opt_out),
        students=[
            Student(uuid.uuid4(), valid_tax_code(s.tax_code, "dell'alunno"), s.first_name, s.last_name, _enrolment(s))
            for s in body.students
        ],
        iban=body.iban,
    )
    async with uow:
        await register_family.register_family(uow, family)
    return CreatedFamily(account_id=family.account_id, student_ids=[s.student_id for s in family.students])


@router.get("/families")
async def search_families(
    infra: InfraDep, q: Annotated[str, Query(min_length=2, max_length=100)]
) -> list[dict[str, Any]]:
    async with infra.engine.connect() as conn:
        found = await queries.search_families(conn, q)
    return [
        {
            "account_id": f["id"],
            "holder": f"{f['holder_first_name']} {f['holder_last_name']}",
            "holder_tax_code": f["holder_tax_code"],
            "balance": Amount.of(f["balance_cents"]),
        }
        for f in found
    ]


@router.put("/accounts/{account_id}/contacts", status_code=status.HTTP_204_NO_CONTENT)
async def change_contacts(account_id: uuid.UUID, body: ContactsIn, uow: UowDep) -> None:
    """Contacts and the family's written refusals (diniego) per channel, as the letter asks."""
    async with uow:
        await register_family.change_contacts(
            uow, account_id, Contacts(body.email, body.phone, body.email_opt_out, body.sms_opt_out)
        )


@router.put("/accounts/{account_id}/students/{student_id}/enrolment", status_code=status.HTTP_204_NO_CONTENT)
async def enrol(account_id: uuid.UUID, student_id: uuid.UUID, body: NewEnrolment, uow: UowDep) -> None:
    """Enrol, transfer (new school or class) or withdraw (`active: false`) for a school year."""
    async with uow:
        await register_family.enrol(uow, account_id, student_id, _enrolment(body))


@router.post("/accounts/{account_id}/paper-vouchers", status_code=status.HTTP_201_CREATED)
async def paper_vouchers(
    account_id: uuid.UUID, body: PaperVouchers, who: StaffDep, uow: UowDep, key: IdempotencyKey = None
) -> Booked:
    async def command() -> dict[str, Any]:
        posted = await office_movements.record_paper_vouchers(
            uow, account_id, body.student_id, body.count, body.unit_cents, body.received_on, who.name
        )
        return _booked(posted)

    async with uow:
        return Booked(**await idempotency.once(uow, f"vouchers:{account_id}", key, body.model_dump(), command))


@router.post("/accounts/{account_id}/adjustments", status_code=status.HTTP_201_CREATED)
async def adjustment(
    account_id: uuid.UUID, body: Adjustment, who: StaffDep, uow: UowDep, key: IdempotencyKey = None
) -> Booked:
    if body.amount_cents == 0:
        raise HttpError(422, "importo_non_valido", "L'importo della rettifica non può essere zero.")

    async def command() -> dict[str, Any]:
        return _booked(
            await office_movements.adjust(uow, account_id, body.amount_cents, body.reason, who.name, date.today())
        )

    async with uow:
        return Booked(**await idempotency.once(uow, f"adjustment:{account_id}", key, body.model_dump(), command))


@router.get("/debtors")
async def debtors(infra: InfraDep) -> list[dict[str, Any]]:
    async with infra.engine.connect() as conn:
        rows = await queries.debtors(conn)
    return [
        {
            "account_id": r["id"],
            "holder": f"{r['holder_first_name']} {r['holder_last_name']}",
            "balance": Amount.of(r["balance_cents"]),
            "in_debt_since": r["since"],
        }
        for r in rows
    ]


@router.get("/refunds")
async def refunds_to_pay(infra: InfraDep) -> list[dict[str, Any]]:
    async with infra.engine.connect() as conn:
        rows = await queries.refunds_to_pay(conn)
    return [
        {
            "refund_id": r["id"],
            "account_id": r["account_id"],
            "amount": Amount.of(r["amount_cents"]),
            "iban": r["iban"],
            "holder": f"{r['holder_first_name']} {r['holder_last_name']}",
            "reason": r["reason"],
            "created_at": r["created_at"],
        }
        for r in rows
    ]


@router.post("/school-years/{start}-{end}/closing")
async def close_year(start: int, end: int, who: StaffDep, uow: UowDep) -> list[dict[str, Any]]:
    if end != start + 1:
        raise HttpError(422, "anno_non_valido", "Anno scolastico non valido (es. 2025-2026).")
    async with uow:
        outcomes = await close_school_year(uow, f"{start}/{end}", who.name)
        await uow.commit()
    return [
        {
            "account_id": o.account_id,
            "outcome": o.outcome,
            "amount": Amount.of(o.amount_cents),
            "already_closed": o.already_closed,
        }
        for o in outcomes
    ]


@router.put("/tariffs", status_code=status.HTTP_204_NO_CONTENT)
async def set_tariff(body: TariffIn, uow: UowDep) -> None:
    async with uow:
        await tariffs.set_tariff(
            uow,
            body.school_year,
            body.band_id,
            body.name,
            [(p.effective_from, p.meal_price_cents) for p in body.prices],
        )


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(body: NewUser, who: StaffDep, uow: UowDep) -> dict[str, uuid.UUID]:
    """A guardian by fiscal code (they log in with SPID or CIE), or (admins only) a staff member."""
    role = Role(body.role)
    if role is Role.PARENT:
        if body.account_id is None or body.tax_code is None:
            raise HttpError(422, "utente_non_valido", "Un genitore o tutore va registrato con codice fiscale e conto.")
        if body.password is not None:
            raise PasswordNotForParents()
        tax_code = valid_tax_code(body.tax_code, "del genitore")
        async with uow:
            return {
                "user_id": await users.register_guardian(uow, body.account_id, tax_code, body.is_holder, body.email)
            }
    admin(who)
    if body.email is None or body.account_id is not None:
        raise HttpError(422, "utente_non_valido", "Il personale si registra con l'email, senza conto.")
    async with uow:
        return {"user_id": await users.create_staff(uow, body.email, role, body.password)}


@router.post("/broadcasts", status_code=status.HTTP_202_ACCEPTED)
async def broadcast(body: Broadcast, uow: UowDep) -> dict[str, uuid.UUID]:
    """A message to every family with a child in a school (e.g. a service interruption)."""
    request_id = uuid.uuid4()
    async with uow:
        await uow.publish(
            NotificationRequested(
                request_id=request_id,
                school_id=body.school_id,
                template=Template.BROADCAST,
                params={"subject": body.subject, "text": body.message},
                channels=body.channels,
            )
        )
        await uow.commit()
    return {"request_id": request_id}


def _enrolment(e: NewEnrolment) -> Enrolment:
    return Enrolment(e.school_year, e.school_id, e.class_id, e.diet, e.active, e.tariff_band)


def _booked(posted: Posted) -> dict[str, Any]:
    return {"entry_id": str(posted.entry_id), "balance": Amount.of(posted.balance_after_cents).model_dump()}
