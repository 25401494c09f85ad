"""The school office's routes for families: registering, editing, children, guardians, searches
(staff only; what each role may do is the handlers' to say, and every change is audited)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from accounts.api.dependencies import StaffDep, UowDep, staff, today
from accounts.api.office_schemas import FamilyEdit, GuardianView, StudentFoundView
from accounts.api.schemas import (
    Amount,
    ContactsIn,
    CreatedFamily,
    FamilyFoundView,
    NewEnrolment,
    NewFamily,
    NewStudent,
    NewUser,
    RefundView,
)
from accounts.domain.exceptions import PasswordNotForParents
from accounts.domain.family import Contacts, Enrolment, Family, FamilyDetails, Holder, Student, valid_tax_code
from accounts.handlers import change_contacts as contacts
from accounts.handlers import queries, users
from accounts.handlers.enrol_student import add_student, enrol_student
from accounts.handlers.register_family import register_family
from shared.http import HttpError

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])
SearchText = Annotated[str, Query(min_length=2, max_length=100)]


@router.post("/families", status_code=status.HTTP_201_CREATED)
async def create_family(body: NewFamily, who: StaffDep, uow: UowDep) -> CreatedFamily:
    family = family_of(body)
    await register_family(uow, who, family, today())
    return CreatedFamily(account_id=family.account_id, student_ids=[s.student_id for s in family.students])


@router.get("/families")
async def search_families(uow: UowDep, q: SearchText) -> list[FamilyFoundView]:
    return [
        FamilyFoundView(
            account_id=f.account_id,
            holder=f"{f.holder_first_name} {f.holder_last_name}",
            holder_tax_code=f.holder_tax_code,
            balance=Amount.of(f.balance_cents),
        )
        for f in await queries.search_families(uow, q)
    ]


@router.get("/students")
async def search_students(uow: UowDep, q: SearchText) -> list[StudentFoundView]:
    """Pupils by name or fiscal code, with their family (the paper vouchers' form finds them so)."""
    return [
        StudentFoundView(
            student_id=s.student_id,
            account_id=s.account_id,
            name=f"{s.first_name} {s.last_name}",
            school_id=s.school_id,
            class_id=s.class_id,
            holder=f"{s.holder_first_name} {s.holder_last_name}",
        )
        for s in await queries.search_students(uow, q)
    ]


@router.put("/accounts/{account_id}/contacts", status_code=status.HTTP_204_NO_CONTENT)
async def change_contacts(account_id: uuid.UUID, body: ContactsIn, who: StaffDep, uow: UowDep) -> None:
    """Contacts and the family's written refusals (diniego) per channel, as the letter asks."""
    await contacts.change_contacts(uow, who, account_id, contacts_of(body))


@router.patch("/accounts/{account_id}", status_code=status.HTTP_204_NO_CONTENT)
async def edit_family(account_id: uuid.UUID, body: FamilyEdit, who: StaffDep, uow: UowDep) -> None:
    """The holder's name, contacts and refusals, IBAN (the holder's fiscal code is the account)."""
    holder = Holder("", body.holder_first_name, body.holder_last_name)
    await contacts.edit_family(uow, who, account_id, FamilyDetails(holder, contacts_of(body), body.iban))


@router.post("/accounts/{account_id}/students", status_code=status.HTTP_201_CREATED)
async def new_student(account_id: uuid.UUID, body: NewStudent, who: StaffDep, uow: UowDep) -> dict[str, uuid.UUID]:
    child = student_of(body)
    await add_student(uow, who, account_id, child, today())
    return {"student_id": child.student_id}


@router.put("/accounts/{account_id}/students/{student_id}/enrolment", status_code=status.HTTP_204_NO_CONTENT)
async def enrol(account_id: uuid.UUID, student_id: uuid.UUID, body: NewEnrolment, who: StaffDep, uow: UowDep) -> None:
    """Enrol, transfer (new school or class) or withdraw (`active: false`) for a school year."""
    await enrol_student(uow, who, account_id, student_id, enrolment_of(body), body.effective_from or today())


@router.get("/accounts/{account_id}/guardians")
async def guardians(account_id: uuid.UUID, uow: UowDep) -> list[GuardianView]:
    return [
        GuardianView(user_id=u.user_id, tax_code=u.tax_code, name=u.display_name, is_holder=u.is_holder)
        for u in await users.guardians(uow, account_id)
    ]


@router.delete("/accounts/{account_id}/guardians/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_guardian(account_id: uuid.UUID, user_id: uuid.UUID, who: StaffDep, uow: UowDep) -> None:
    await users.remove_guardian(uow, who, account_id, user_id)


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(body: NewUser, who: StaffDep, uow: UowDep) -> dict[str, uuid.UUID]:
    """A guardian by fiscal code (they log in with SPID or CIE); staff: `POST /office/staff`."""
    if body.role != "parent":
        raise HttpError(422, "utente_non_valido", "Il personale si registra con POST /office/staff.")
    if body.account_id is None or body.tax_code is None:
        raise HttpError(422, "utente_non_valido", "Un genitore o tutore va registrato con codice fiscale e conto.")
    if body.password is not None:
        raise PasswordNotForParents()
    tax_code = valid_tax_code(body.tax_code, "del genitore")
    user_id = await users.register_guardian(uow, who, body.account_id, tax_code, body.is_holder, body.email)
    return {"user_id": user_id}


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


def family_of(body: NewFamily) -> Family:
    return Family(
        account_id=uuid.uuid4(),
        holder_tax_code=valid_tax_code(body.holder_tax_code, "del titolare"),
        holder_first_name=body.holder_first_name,
        holder_last_name=body.holder_last_name,
        contacts=contacts_of(body),
        students=[student_of(s) for s in body.students],
        iban=body.iban,
    )


def student_of(s: NewStudent) -> Student:
    return Student(uuid.uuid4(), valid_tax_code(s.tax_code, "dell'alunno"), s.first_name, s.last_name, enrolment_of(s))


def contacts_of(body: ContactsIn) -> Contacts:
    return Contacts(body.email, body.phone, body.email_opt_out, body.sms_opt_out, body.io_opt_out)


def enrolment_of(e: NewEnrolment) -> Enrolment:
    return Enrolment(e.school_year, e.school_id, e.class_id, e.diet, e.active, e.tariff_band)
