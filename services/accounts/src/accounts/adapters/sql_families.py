"""Accounts, students and enrolments on PostgreSQL; a duplicate tax code, reported by its unique
constraint, becomes the domain's error."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Sequence
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, enrolment, enrolment_change, student
from accounts.domain.exceptions import AccountNotFound, DuplicateHolder, DuplicateStudent, StudentNotFound
from accounts.domain.family import Contacts, Enrolment, Family, FamilyDetails, Holder, Student, StudentIdentity

_DUPLICATES = {"uq_account_holder_tax_code": DuplicateHolder, "uq_student_tax_code": DuplicateStudent}


class SqlFamilies:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, family: Family) -> None:
        with _duplicates_named():
            await self._conn.execute(account.insert().values(id=family.account_id, iban=family.iban, **_holder(family)))
        await self.add_students(family.account_id, family.students)

    async def add_students(self, account_id: uuid.UUID, students: Sequence[Student]) -> None:
        if not students:
            return
        with _duplicates_named():
            await self._conn.execute(student.insert(), [_student(account_id, s) for s in students])

    async def details(self, account_id: uuid.UUID) -> FamilyDetails:
        row = (await self._conn.execute(select(account).where(account.c.id == account_id))).first()
        if row is None:
            raise AccountNotFound(account_id)
        contacts = Contacts(row.email, row.phone, row.email_opt_out, row.sms_opt_out, row.io_opt_out)
        return FamilyDetails(
            Holder(row.holder_tax_code, row.holder_first_name, row.holder_last_name), contacts, row.iban
        )

    async def edit(self, account_id: uuid.UUID, details: FamilyDetails) -> None:
        await self._conn.execute(
            update(account)
            .where(account.c.id == account_id)
            .values(
                holder_first_name=details.holder.first_name,
                holder_last_name=details.holder.last_name,
                iban=details.iban,
                **_contacts(details.contacts),
            )
        )

    async def enrolment_of(self, student_id: uuid.UUID, school_year: str) -> Enrolment | None:
        row = (
            await self._conn.execute(
                select(enrolment).where(enrolment.c.student_id == student_id, enrolment.c.school_year == school_year)
            )
        ).first()
        if row is None:
            return None
        return Enrolment(row.school_year, row.school_id, row.class_id, row.diet, row.active, row.tariff_band)

    async def save_enrolment(self, student_id: uuid.UUID, e: Enrolment, effective_from: date) -> None:
        values = {
            "school_id": e.school_id,
            "class_id": e.class_id,
            "diet": e.diet,
            "active": e.active,
            "tariff_band": e.tariff_band,
        }
        statement = insert(enrolment).values(student_id=student_id, school_year=e.school_year, **values)
        await self._conn.execute(
            statement.on_conflict_do_update(
                index_elements=[enrolment.c.student_id, enrolment.c.school_year], set_=values
            )
        )
        await self._conn.execute(
            enrolment_change.insert().values(
                student_id=student_id,
                school_year=e.school_year,
                effective_from=effective_from,
                tariff_band=e.tariff_band,
                active=e.active,
            )
        )

    async def student_of(self, account_id: uuid.UUID, student_id: uuid.UUID) -> StudentIdentity:
        found = (
            await self._conn.execute(
                select(student.c.id, student.c.tax_code, student.c.first_name, student.c.last_name).where(
                    student.c.id == student_id, student.c.account_id == account_id
                )
            )
        ).first()
        if found is None:
            raise StudentNotFound()
        return StudentIdentity(found.id, found.tax_code, found.first_name, found.last_name)

    async def holder(self, account_id: uuid.UUID) -> Holder:
        found = (
            await self._conn.execute(
                select(account.c.holder_tax_code, account.c.holder_first_name, account.c.holder_last_name).where(
                    account.c.id == account_id
                )
            )
        ).first()
        if found is None:
            raise AccountNotFound(account_id)
        return Holder(found.holder_tax_code, found.holder_first_name, found.holder_last_name)

    async def held_by(self, tax_code: str) -> uuid.UUID | None:
        found: uuid.UUID | None = await self._conn.scalar(
            select(account.c.id).where(account.c.holder_tax_code == tax_code)
        )
        return found


@contextlib.contextmanager
def _duplicates_named() -> Iterator[None]:
    """A duplicate tax code, reported by its unique constraint, as the domain's error."""
    try:
        yield
    except IntegrityError as error:
        duplicate = _DUPLICATES.get(constraint_of(error) or "")
        if duplicate is None:
            raise
        raise duplicate() from error


def constraint_of(error: IntegrityError) -> str | None:
    """The constraint PostgreSQL named (asyncpg's error is the cause of the adapted one)."""
    for candidate in (error.orig, getattr(error.orig, "__cause__", None)):
        name = getattr(candidate, "constraint_name", None)
        if name:
            return str(name)
    return None


def _holder(family: Family) -> dict[str, object]:
    return {
        "holder_tax_code": family.holder_tax_code,
        "holder_first_name": family.holder_first_name,
        "holder_last_name": family.holder_last_name,
        **_contacts(family.contacts),
    }


def _student(account_id: uuid.UUID, s: StudentIdentity) -> dict[str, object]:
    return {
        "id": s.student_id,
        "account_id": account_id,
        "tax_code": s.tax_code,
        "first_name": s.first_name,
        "last_name": s.last_name,
    }


def _contacts(c: Contacts) -> dict[str, object]:
    return {
        "email": c.email,
        "phone": c.phone,
        "email_opt_out": c.email_opt_out,
        "sms_opt_out": c.sms_opt_out,
        "io_opt_out": c.io_opt_out,
    }
