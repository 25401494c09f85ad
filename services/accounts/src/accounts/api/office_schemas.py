"""HTTP bodies of the back-office's JSON routes beyond the first ones (`schemas.py`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from accounts.api.schemas import Amount, ContactsIn
from shared.edge import PlausibleDate


class FamilyEdit(ContactsIn):
    holder_first_name: str = Field(min_length=1, max_length=100)
    holder_last_name: str = Field(min_length=1, max_length=100)
    iban: str | None = Field(default=None, pattern=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


class StudentFoundView(BaseModel):
    student_id: uuid.UUID
    account_id: uuid.UUID
    name: str
    school_id: str | None
    class_id: str | None
    holder: str


class GuardianView(BaseModel):
    user_id: uuid.UUID
    tax_code: str | None
    name: str | None
    is_holder: bool


class StaffView(BaseModel):
    user_id: uuid.UUID
    name: str | None
    tax_code: str | None
    email: str | None
    role: str
    active: bool


class StaffChange(BaseModel):
    role: str = Field(pattern="^(operator|manager|admin)$")
    active: bool = True


class AdjustmentAnswer(BaseModel):
    """Booked now (`entry_id`, `balance`), or waiting for a responsabile (`request_id`)."""

    state: str = Field(description="booked | pending")
    entry_id: uuid.UUID | None = None
    balance: Amount | None = None
    request_id: uuid.UUID | None = None


class PendingView(BaseModel):
    request_id: uuid.UUID
    account_id: uuid.UUID
    amount: Amount
    reason: str
    requested_by: str
    requested_at: datetime | None


class PriceRow(BaseModel):
    effective_from: PlausibleDate
    value: int
    used: bool = Field(description="It priced a charged meal: it never changes again")


class BandView(BaseModel):
    band_id: str
    name: str
    prices: list[PriceRow]


class TariffsView(BaseModel):
    school_year: str
    bands: list[BandView]
    sibling_discounts: list[PriceRow]
    default_meal_cents: int
    default_sibling_discount_percent: int


class DiscountIn(BaseModel):
    effective_from: PlausibleDate
    percent: int = Field(ge=0, le=100)


class SiblingDiscounts(BaseModel):
    discounts: list[DiscountIn] = Field(min_length=1)


class AuditView(BaseModel):
    seq: int
    at: datetime
    actor: str
    actor_role: str
    action: str
    subject: str
    account_id: uuid.UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None


class AuditPage(BaseModel):
    total: int
    items: list[AuditView]
