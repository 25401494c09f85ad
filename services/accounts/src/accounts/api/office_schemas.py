"""HTTP bodies of the back-office's JSON routes beyond the first ones (`schemas.py`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
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


class TallyView(BaseModel):
    families: int
    amount: Amount


class ClosingTotalsView(BaseModel):
    refunded: TallyView
    without_iban: TallyView = Field(description="refunds with no IBAN: not in the transfer file")
    credit_carried: TallyView
    debt_carried: TallyView
    nothing: TallyView


class ClosingJobView(BaseModel):
    school_year: str
    state: str = Field(description="running | done")
    done: int
    total: int
    percent: int
    started_by: str
    forced_because: str | None
    started_at: datetime
    finished_at: datetime | None
    already_closed: bool = Field(description="this request found the year's closing started already")
    booked: ClosingTotalsView = Field(description="what the closing booked so far")


class PreviewLineView(BaseModel):
    account_id: uuid.UUID
    holder: str
    balance: Amount
    outcome: str = Field(description="carried_over | refunded | nothing")
    iban: str | None
    continues: bool = Field(description="a child of the family is enrolled next year")


class ClosingPreviewView(BaseModel):
    school_year: str
    closes_from: date = Field(description="from this day the year closes without being forced")
    totals: ClosingTotalsView
    families: list[PreviewLineView]
