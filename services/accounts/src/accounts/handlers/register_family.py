"""The office registers a family: holder, contacts, students and their enrolments.

Emits `contacts-changed` for the account and `student-enrolled` for each student, through the
outbox, in the transaction that creates them.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from accounts.adapters.tables import account, enrolment, student
from accounts.domain.exceptions import DuplicateHolder, DuplicateStudent
from accounts.domain.family import Family, Student
from shared.db import UnitOfWork
from shared.events import ContactsChanged, StudentEnrolled


async def register_family(uow: UnitOfWork, family: Family) -> None:
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
        await conn.execute(
            enrolment.insert().values(
                student_id=child.student_id,
                school_year=child.enrolment.school_year,
                school_id=child.enrolment.school_id,
                class_id=child.enrolment.class_id,
                diet=child.enrolment.diet,
                active=child.enrolment.active,
            )
        )
    await uow.publish(_contacts_changed(family), *(_enrolled(family, s) for s in family.students))
    await uow.commit()


def _contacts_changed(family: Family) -> ContactsChanged:
    c = family.contacts
    return ContactsChanged(
        account_id=family.account_id,
        email=c.email,
        phone=c.phone,
        email_opt_out=c.email_opt_out,
        sms_opt_out=c.sms_opt_out,
    )


def _enrolled(family: Family, child: Student) -> StudentEnrolled:
    e = child.enrolment
    return StudentEnrolled(
        student_id=child.student_id,
        account_id=family.account_id,
        tax_code=child.tax_code,
        first_name=child.first_name,
        last_name=child.last_name,
        school_id=e.school_id,
        class_id=e.class_id,
        diet=e.diet,
        school_year=e.school_year,
        active=e.active,
    )
