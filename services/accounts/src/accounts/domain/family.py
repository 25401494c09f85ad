"""Families, holders and students as the office registers them: pure validation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from accounts.domain.exceptions import InvalidTaxCode
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
class Student:
    student_id: uuid.UUID
    tax_code: str
    first_name: str
    last_name: str
    enrolment: Enrolment


@dataclass(frozen=True)
class Contacts:
    email: str | None = None
    phone: str | None = None
    email_opt_out: bool = False
    sms_opt_out: bool = False


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
