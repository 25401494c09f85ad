"""Families, holders and students as the office registers them: pure validation, and the events
that tell the other services about them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from accounts.domain.exceptions import InvalidTaxCode
from shared.events import ContactsChanged, StudentEnrolled
from shared.tax_code import InvalidTaxCode as MalformedTaxCode
from shared.tax_code import normalise_tax_code


@dataclass(frozen=True)
class Enrolment:
    school_year: str
    school_id: str
    class_id: str
    diet: str = "standard"
    active: bool = True
    tariff_band: str | None = None


@dataclass(frozen=True)
class StudentIdentity:
    student_id: uuid.UUID
    tax_code: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Student(StudentIdentity):
    """A student as registered with the family, with their first enrolment."""

    enrolment: Enrolment


@dataclass(frozen=True)
class Contacts:
    """Where the family is told, and its written refusals (diniego) per channel: email, SMS,
    and the app IO (reached through the holder's fiscal code, no address of its own)."""

    email: str | None = None
    phone: str | None = None
    email_opt_out: bool = False
    sms_opt_out: bool = False
    io_opt_out: bool = False


@dataclass(frozen=True)
class Holder:
    """The account's holder: the payer of its pagoPA notices."""

    tax_code: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Family:
    account_id: uuid.UUID
    holder_tax_code: str
    holder_first_name: str
    holder_last_name: str
    contacts: Contacts
    students: list[Student] = field(default_factory=list)
    iban: str | None = None


def valid_tax_code(value: str, who: str) -> str:
    try:
        return normalise_tax_code(value)
    except MalformedTaxCode as error:
        raise InvalidTaxCode(who) from error


def contacts_changed(account_id: uuid.UUID, holder_tax_code: str, c: Contacts) -> ContactsChanged:
    """With the holder's fiscal code: the app IO knows the family by it."""
    return ContactsChanged(
        account_id=account_id,
        holder_tax_code=holder_tax_code,
        email=c.email,
        phone=c.phone,
        email_opt_out=c.email_opt_out,
        sms_opt_out=c.sms_opt_out,
        io_opt_out=c.io_opt_out,
    )


def student_enrolled(account_id: uuid.UUID, child: StudentIdentity, e: Enrolment) -> StudentEnrolled:
    """An enrolment, a transfer (another school or class) or a withdrawal (`active=False`)."""
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
