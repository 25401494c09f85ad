"""HTTP bodies of the gateway (pydantic); amounts are integer cents plus a display string."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, EmailStr, Field

from shared.money import format_euro

SchoolYear = Field(pattern=r"^\d{4}/\d{4}$", examples=["2026/2027"])


class NewStudent(BaseModel):
    tax_code: str = Field(min_length=16, max_length=16)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    school_year: str = SchoolYear
    school_id: str = Field(min_length=1, max_length=64)
    class_id: str = Field(min_length=1, max_length=64)
    diet: str = "standard"


class NewFamily(BaseModel):
    holder_tax_code: str = Field(min_length=16, max_length=16)
    holder_first_name: str = Field(min_length=1, max_length=100)
    holder_last_name: str = Field(min_length=1, max_length=100)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ]{6,20}$")
    email_opt_out: bool = False
    sms_opt_out: bool = False
    students: list[NewStudent] = Field(min_length=1)


class CreatedFamily(BaseModel):
    account_id: uuid.UUID
    student_ids: list[uuid.UUID]


class Amount(BaseModel):
    cents: int
    display: str

    @classmethod
    def of(cls, cents: int) -> Amount:
        return cls(cents=cents, display=format_euro(cents))


class StudentView(BaseModel):
    student_id: uuid.UUID
    first_name: str
    last_name: str
    school_year: str | None
    school_id: str | None
    class_id: str | None
    active: bool | None


class AccountView(BaseModel):
    account_id: uuid.UUID
    holder_first_name: str
    holder_last_name: str
    balance: Amount
    students: list[StudentView]


class MovementView(BaseModel):
    entry_id: uuid.UUID
    cause: str
    amount: Amount
    balance_after: Amount
    description: str
    booked_at: datetime
