"""HTTP bodies of the gateway (pydantic); amounts are integer cents plus a display string."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from shared.edge import PlausibleDate, SchoolYearText, cents
from shared.events import ALL_CHANNELS, Channel
from shared.money import format_euro

# The gateway's ceilings (README, "Amounts"): a family's top-up, a meal's price or paper voucher,
# an office's correction. Far below pagoPA's own ceiling, so that a typo costs nobody a fortune.
TOP_UP_MAX_CENTS = 500_000  # € 5.000,00
MEAL_MAX_CENTS = 10_000  # € 100,00
ADJUSTMENT_MAX_CENTS = 1_000_000  # € 10.000,00, either way


class NewEnrolment(BaseModel):
    school_year: SchoolYearText
    school_id: str = Field(min_length=1, max_length=64)
    class_id: str = Field(min_length=1, max_length=64)
    diet: str = Field(default="standard", min_length=1, max_length=64)
    tariff_band: str | None = Field(default=None, max_length=32)
    active: bool = True
    effective_from: PlausibleDate | None = Field(
        default=None, description="A transfer or withdrawal: from which day it prices meals (default: today)"
    )


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


class YearClosingIn(BaseModel):
    forced_because: str | None = Field(
        default=None,
        min_length=10,
        max_length=500,
        description="Why the year is closed before 1 July of its end (a responsabile only)",
    )


class PaperVouchers(BaseModel):
    student_id: uuid.UUID
    count: int = Field(gt=0, le=1000)
    unit_cents: int = cents(maximum=MEAL_MAX_CENTS, description="The value of one voucher, in cents")
    received_on: PlausibleDate
    form_number: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9/._-]+$",
        description="The return form's number: the form is credited once",
    )
    received_by: str | None = Field(default=None, min_length=1, max_length=200, description="Default: who books it")


class Adjustment(BaseModel):
    amount_cents: int = cents(
        minimum=-ADJUSTMENT_MAX_CENTS, maximum=ADJUSTMENT_MAX_CENTS, description="Signed whole cents, not zero"
    )
    reason: str = Field(min_length=3, max_length=500)


class Booked(BaseModel):
    entry_id: uuid.UUID
    balance: Amount


class TariffIn(BaseModel):
    school_year: SchoolYearText
    band_id: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)
    prices: list[PriceIn] = Field(min_length=1, max_length=366, description="At most one price per day")

    @field_validator("prices")
    @classmethod
    def _one_price_a_day(cls, prices: list[PriceIn]) -> list[PriceIn]:
        if len({p.effective_from for p in prices}) < len(prices):
            raise ValueError("two prices from the same day")
        return prices


class PriceIn(BaseModel):
    effective_from: PlausibleDate
    meal_price_cents: int = cents(minimum=0, maximum=MEAL_MAX_CENTS)


class NewUser(BaseModel):
    """A guardian (`parent`: fiscal code and account, no password: they log in with SPID or CIE),
    or (administrators) a staff member: operatore `operator`, responsabile `manager`,
    amministratore `admin`, by fiscal code (SPID/CIE) and an email of their own; a password only
    where staff password logins are on."""

    role: Literal["parent", "operator", "manager", "admin"]
    tax_code: str | None = Field(default=None, min_length=16, max_length=16, description="The person's fiscal code")
    email: EmailStr | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200, description="Staff: first and last name")
    account_id: uuid.UUID | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200, description="Staff only")
    is_holder: bool = Field(default=False, description="For a parent: sees debts as the holder does")


class BroadcastAccepted(BaseModel):
    request_id: uuid.UUID


class TopUp(BaseModel):
    amount_cents: int = cents(maximum=TOP_UP_MAX_CENTS, description="Whole cents, from € 0,01 to € 5.000,00")
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
    """To every family (`everyone`), a school's, a class's of a school, or chosen families."""

    everyone: bool = False
    school_id: str | None = Field(default=None, min_length=1, max_length=64)
    class_id: str | None = Field(default=None, min_length=1, max_length=32, description="Within `school_id`")
    account_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    subject: str = Field(default="Comunicazione dell'Ufficio Scuola", min_length=3, max_length=120)
    message: str = Field(min_length=3, max_length=600)
    channels: list[Channel] = Field(default_factory=lambda: list(ALL_CHANNELS), min_length=1)
    request_id: uuid.UUID | None = Field(default=None, description="Sent once per request id")


TariffIn.model_rebuild()
