"""The office registers a family and keeps it current: holder, contacts, students, enrolments.

Emits `contacts-changed` whenever contacts or opt-outs are set, and `student-enrolled` for every
enrolment, transfer or withdrawal, through the outbox, in the transaction that makes the change.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from accounts.adapters.tables import account, enrolment, student, tariff_band
from accounts.domain.exceptions import (
    AccountNotFound,
    DuplicateHolder,
    DuplicateStudent,
    StudentNotFound,
    TariffNotFound,
)
from accounts.domain.family import Contacts, Enrolment, Family, Student
from shared.db import SqlUnitOfWork
from shared.events import ContactsChanged, StudentEnrolled


async def register_family(uow: SqlUnitOfWork, family: Family) -> None:
    conn = uow.connection
    try:
        await conn.execute(
            account.insert().values(
                id=family.account_id,
                holder_tax_code=family.holder_tax_code,
                holder_first_name=family.holder_first_name,
                holder_last_name=family.holder_last_name,
                email=family.contacts.email,
                phone=family.contacts.phone,
                email_opt_out=family.contacts.email_opt_out,
                sms_opt_out=family.contacts.sms_opt_out,
                iban=family.iban,
            )
        )
    except IntegrityError as error:
        raise DuplicateHolder() from error
    for child in family.students:
        try:
            async with conn.begin_nested():
                await conn.execute(
                    student.insert().values(
                        id=child.student_id,
                        account_id=family.account_id,
                        tax_code=child.tax_code,
                        first_name=child.first_name,
                        last_name=child.last_name,
                    )
                )
        except IntegrityError as error:
            raise DuplicateStudent() from error
        await _save_enrolment(uow, child.student_id, child.enrolment)
    await uow.publish(
        _contacts_changed(family.account_id, family.contacts),
        *(_enrolled(family.account_id, s, s.enrolment) for s in family.students),
    )
    await uow.commit()


async def change_contacts(uow: SqlUnitOfWork, account_id: uuid.UUID, contacts: Contacts) -> None:
    changed = await uow.connection.execute(
        update(account)
        .where(account.c.id == account_id)
        .values(
            email=contacts.email,
            phone=contacts.phone,
            email_opt_out=contacts.email_opt_out,
            sms_opt_out=contacts.sms_opt_out,
        )
        .returning(account.c.id)
    )
    if changed.first() is None:
        raise AccountNotFound(account_id)
    await uow.publish(_contacts_changed(account_id, contacts))
    await uow.commit()


async def enrol(uow: SqlUnitOfWork, account_id: uuid.UUID, student_id: uuid.UUID, enrolment_: Enrolment) -> None:
    """Enrols, transfers (another school or class) or withdraws (`active=False`) for a year."""
    child = (await uow.connection.execute(select(student).where(student.c.id == student_id))).first()
    if child is None or child.account_id != account_id:
        raise StudentNotFound()
    await _save_enrolment(uow, student_id, enrolment_)
    known = Student(child.id, child.tax_code, child.first_name, child.last_name, enrolment_)
    await uow.publish(_enrolled(account_id, known, enrolment_))
    await uow.commit()


async def _save_enrolment(uow: SqlUnitOfWork, student_id: uuid.UUID, e: Enrolment) -> None:
    if e.tariff_band is not None:
        band = await uow.connection.scalar(
            select(tariff_band.c.id).where(
                tariff_band.c.id == e.tariff_band, tariff_band.c.school_year == e.school_year
            )
        )
        if band is None:
            raise TariffNotFound()
    values = {
        "school_id": e.school_id,
        "class_id": e.class_id,
        "diet": e.diet,
        "active": e.active,
        "tariff_band": e.tariff_band,
    }
    statement = insert(enrolment).values(student_id=student_id, school_year=e.school_year, **values)
    await uow.connection.execute(
        statement.on_conflict_do_update(index_elements=[enrolment.c.student_id, enrolment.c.school_year], set_=values)
    )


def _contacts_changed(account_id: uuid.UUID, c: Contacts) -> ContactsChanged:
    return ContactsChanged(
        account_id=account_id, email=c.email, phone=c.phone, email_opt_out=c.email_opt_out, sms_opt_out=c.sms_opt_out
    )


def _enrolled(account_id: uuid.UUID, child: Student, e: Enrolment) -> StudentEnrolled:
    return StudentEnrolled(
        student_id=child.student_id,
        account_id=account_id,
        tax_code=child.tax_code,
        first_name=child.first_name,
        last_name=child.last_name,
        school_id=e.school_id,
        class_id=e.class_id,
        diet=e.diet,
        school_year=e.school_year,
        active=e.active,
    )
