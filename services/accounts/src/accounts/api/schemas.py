"""HTTP bodies of the gateway (pydantic); amounts are integer cents plus a display string."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shared.events import ALL_CHANNELS, Channel
from shared.money import format_euro

SCHOOL_YEAR = r"^\d{4}/\d{4}$"
Cents = Field(gt=0, description="A positive whole number of euro cents")


class NewEnrolment(BaseModel):
    school_year: str = Field(pattern=SCHOOL_YEAR, examples=["2026/2027"])
    school_id: str = Field(min_length=1, max_length=64)
    class_id: str = Field(min_length=1, max_length=64)
    diet: str = "standard"
    tariff_band: str | None = Field(default=None, max_length=32)
    active: bool = True


class NewStudent(NewEnrolment):
    tax_code: str = Field(min_length=16, max_length=16)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)


class ContactsIn(BaseModel):
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ]{6,20}$")
    email_opt_out: bool = False
    sms_opt_out: bool = False
    io_opt_out: bool = Field(
        default=False, description="No messages in the app IO (which knows the holder's fiscal code)"
    )


class NewFamily(ContactsIn):
    holder_tax_code: str = Field(min_length=16, max_length=16)
    holder_first_name: str = Field(min_length=1, max_length=100)
    holder_last_name: str = Field(min_length=1, max_length=100)
    iban: str | None = Field(default=None, pattern=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
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
    tariff_band: str | None = None


class AccountView(BaseModel):
    account_id: uuid.UUID
    holder_first_name: str
    holder_last_name: str
    email: str | None
    phone: str | None
    email_opt_out: bool
    sms_opt_out: bool
    io_opt_out: bool
    balance: Amount | None = Field(description="Absent for a guardian who is not the holder when in debt")
    students: list[StudentView]


class MovementView(BaseModel):
    entry_id: uuid.UUID
    cause: str
    amount: Amount
    balance_after: Amount | None = Field(description="Absent for a guardian who is not the holder")
    description: str
    booked_at: datetime


class MovementPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[MovementView]


class FamilyFoundView(BaseModel):
    account_id: uuid.UUID
    holder: str
    holder_tax_code: str
    balance: Amount


class DebtorView(BaseModel):
    account_id: uuid.UUID
    holder: str
    balance: Amount
    in_debt_since: datetime | None


class RefundView(BaseModel):
    refund_id: uuid.UUID
    account_id: uuid.UUID
    amount: Amount
    iban: str | None
    holder: str
    reason: str
    created_at: datetime


class YearClosingView(BaseModel):
    account_id: uuid.UUID
    outcome: str = Field(description="carried_over | refunded | nothing")
    amount: Amount
    already_closed: bool


class PaperVouchers(BaseModel):
    student_id: uuid.UUID
    count: int = Field(gt=0, le=1000)
    unit_cents: int = Cents
    received_on: date


class Adjustment(BaseModel):
    amount_cents: int = Field(description="Signed whole cents, not zero")
    reason: str = Field(min_length=3, max_length=500)


class Booked(BaseModel):
    entry_id: uuid.UUID
    balance: Amount


class TariffIn(BaseModel):
    school_year: str = Field(pattern=SCHOOL_YEAR)
    band_id: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)
    prices: list[PriceIn] = Field(min_length=1)


class PriceIn(BaseModel):
    effective_from: date
    meal_price_cents: int = Field(ge=0)


class NewUser(BaseModel):
    """A guardian (`parent`: fiscal code and account, no password: they log in with SPID or CIE),
    or a staff member (email, and a password for now)."""

    role: Literal["parent", "office", "admin"]
    tax_code: str | None = Field(default=None, min_length=16, max_length=16, description="A parent's fiscal code")
    email: EmailStr | None = None
    account_id: uuid.UUID | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200, description="Staff only")
    is_holder: bool = Field(default=False, description="For a parent: sees debts as the holder does")


class BroadcastAccepted(BaseModel):
    request_id: uuid.UUID


class TopUp(BaseModel):
    amount_cents: int = Field(gt=0, description="Any positive whole number of cents: no minimum, no maximum")
    online: bool = Field(default=False, description="Pay now on pagoPA Checkout: the answer has `checkout_url`")
    send_to_io: bool = Field(
        default=False, description="Also send the notice to the holder's app IO (invia all'app IO), payable from there"
    )


class Forwarded(BaseModel):
    """Another service's answer, passed on as it came: that service owns its shape."""

    model_config = ConfigDict(extra="allow")


class TopUpStarted(Forwarded):
    """The payment notice as payments made it, and where to get it or pay it."""

    notice_number: str
    pdf_url: str
    checkout_url: str | None = Field(default=None, description="Only for an online top-up")


class Broadcast(BaseModel):
    school_id: str = Field(min_length=1, max_length=64)
    subject: str = Field(default="Comunicazione dell'Ufficio Scuola", min_length=3, max_length=120)
    message: str = Field(min_length=3, max_length=600)
    channels: list[Channel] = Field(default_factory=lambda: list(ALL_CHANNELS), min_length=1)


TariffIn.model_rebuild()
