"""Payment notices (avvisi di pagamento): their numbers, their states, what the node may do."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from payments.domain.exceptions import (
    NoticeBeingPaid,
    NoticeNotCancellable,
    NoticeNotChangeable,
    NoticeNotFound,
    NoticeNotPayable,
)

AUX_DIGIT = "3"  # several IUV generation points: aux digit, segregation code, base, check digits


class NoticeState(enum.StrEnum):
    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"
    # Cancelled by the office, not yet invalidated in ACA: our station refuses it already, but the
    # node's Stand-In may still take a payment for it (credited: it was payable there).
    CANCELLING = "cancelling"
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
    # When a PSP last activated it (paGetPayment): from then on the money may be taken, and the
    # node may take up to two days of retries to deliver the receipt.
    activated_at: datetime | None = None

    @classmethod
    def top_up(
        cls,
        number: NoticeNumber,
        account_id: uuid.UUID,
        amount_cents: int,
        debtor_tax_code: str,
        debtor_name: str,
        due_date: date,
    ) -> Notice:
        """A new open notice to top up an account; the debtor is the account's holder."""
        return cls(
            notice_number=number.value,
            iuv=number.iuv,
            account_id=account_id,
            amount_cents=amount_cents,
            debtor_tax_code=debtor_tax_code,
            debtor_name=debtor_name,
            description=f"Ricarica conto mensa - {debtor_name}"[:140],
            due_date=due_date,
            state=NoticeState.OPEN,
        )

    def state_on(self, today: date) -> NoticeState:
        """An open notice past its due date is expired, whether or not a job recorded it yet."""
        if self.state is NoticeState.OPEN and today > self.due_date:
            return NoticeState.EXPIRED
        return self.state

    def as_of(self, today: date) -> Notice:
        return replace(self, state=self.state_on(today))

    def being_cancelled(self, today: date) -> Notice:
        """Cancelled by the office; it reads `cancelling` until ACA has invalidated it too."""
        if self.state_on(today) is not NoticeState.OPEN:
            raise NoticeNotCancellable()
        self._check_not_activated()
        return replace(self, state=NoticeState.CANCELLING)

    def changed(self, today: date, amount_cents: int | None = None, due_date: date | None = None) -> Notice:
        """Another amount or due date, while nobody is paying it."""
        if self.state_on(today) is not NoticeState.OPEN:
            raise NoticeNotChangeable()
        self._check_not_activated()
        return replace(self, amount_cents=amount_cents or self.amount_cents, due_date=due_date or self.due_date)

    def _check_not_activated(self) -> None:
        if self.activated_at is not None:
            raise NoticeBeingPaid()

    def check_payable_online(self, today: date) -> None:
        if self.state_on(today) is not NoticeState.OPEN:
            raise NoticeNotPayable()


@dataclass(frozen=True)
class ListedNotice:
    """A notice in a family's list, with when it was made."""

    notice: Notice
    created_at: datetime


def known(notice: Notice | None) -> Notice:
    if notice is None:
        raise NoticeNotFound()
    return notice


def qr_payload(notice: Notice, creditor_fiscal_code: str) -> str:
    """The paper notice's QR code (pagoPA `PAGOPA|002|...`, the amount in cents, two digits at least)."""
    return f"PAGOPA|002|{notice.notice_number}|{creditor_fiscal_code}|{notice.amount_cents:02d}"


def euros(cents: int) -> str:
    """pagoPA's SOAP amounts: euros with exactly two decimals (`50.00`)."""
    whole, rest = divmod(cents, 100)
    return f"{whole}.{rest:02d}"


def cents_of(amount: str) -> int:
    value = Decimal(amount) * 100
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number of cents: {amount}")
    return int(value)
