"""Payment notices (avvisi di pagamento): their numbers, their states, what the node may do."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

AUX_DIGIT = "3"  # several IUV generation points: aux digit, segregation code, base, check digits


class NoticeState(enum.StrEnum):
    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class NoticeNumber:
    """`3` + segregation code (2) + IUV base (13) + check digits (2); the IUV drops the aux digit."""

    value: str

    @classmethod
    def build(cls, segregation_code: str, base: int) -> NoticeNumber:
        if not (len(segregation_code) == 2 and segregation_code.isdigit()):
            raise ValueError("the segregation code has two digits")
        if not 0 <= base < 10**13:
            raise ValueError("the IUV base has thirteen digits")
        head = f"{AUX_DIGIT}{segregation_code}{base:013d}"
        return cls(f"{head}{int(head) % 93:02d}")

    @property
    def iuv(self) -> str:
        return self.value[1:]

    @property
    def printed(self) -> str:
        """In groups of four, as the paper notice shows it: `3022 0250 0000 1234 51`."""
        return " ".join(self.value[i : i + 4] for i in range(0, len(self.value), 4))

    def has_valid_check_digits(self) -> bool:
        return len(self.value) == 18 and self.value.isdigit() and int(self.value[:16]) % 93 == int(self.value[16:])


@dataclass(frozen=True)
class Notice:
    notice_number: str
    iuv: str
    account_id: uuid.UUID
    amount_cents: int
    debtor_tax_code: str
    debtor_name: str
    description: str
    due_date: date
    state: NoticeState

    def state_on(self, today: date) -> NoticeState:
        """An open notice past its due date is expired, whether or not a job recorded it yet."""
        if self.state is NoticeState.OPEN and today > self.due_date:
            return NoticeState.EXPIRED
        return self.state


def top_up_description(holder_name: str) -> str:
    return f"Ricarica conto mensa - {holder_name}"[:140]


def euros(cents: int) -> str:
    """pagoPA's SOAP amounts: euros with exactly two decimals (`50.00`)."""
    whole, rest = divmod(cents, 100)
    return f"{whole}.{rest:02d}"


def cents_of(amount: str) -> int:
    value = Decimal(amount) * 100
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number of cents: {amount}")
    return int(value)
