"""What the payments handlers need from the outside world: its repositories on one unit of work,
a clock, and pagoPA Checkout."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from payments.domain.notice import Notice, NoticeState
from payments.domain.receipt import Anomaly, Receipt
from payments.domain.reconciliation import AnomalyRow, EventRow, NoticeRow, ReceiptRow
from shared.unit_of_work import UnitOfWork

Clock = Callable[[], datetime]  # now, time-zone aware


class Notices(Protocol):
    async def next_number_base(self) -> int:
        """A 13-digit IUV base never handed out before."""

    async def add(self, notice: Notice, creditor_fiscal_code: str) -> None: ...

    async def get(self, notice_number: str, *, for_update: bool = False) -> Notice | None:
        """`for_update` locks the notice until the transaction ends."""

    async def close(self, notice_number: str, state: NoticeState, receipt_id: str | None = None) -> None:
        """Records that the notice was paid (by `receipt_id`) or cancelled, and when."""


class Receipts(Protocol):
    async def recorded(self, receipt_id: str) -> bool:
        """Kept already, as a receipt or as an anomaly."""

    async def add(self, receipt: Receipt, account_id: uuid.UUID) -> bool:
        """False, and nothing written, when the receipt id, its payment id or its (creditor, IUV)
        is there already."""

    async def add_anomaly(self, anomaly: Anomaly) -> None: ...


class DayBook(Protocol):
    """What happened within [start, end), for the reconciliation."""

    async def notices(self, start: datetime, end: datetime) -> list[NoticeRow]:
        """Created or closed within the span."""

    async def receipts(self, start: datetime, end: datetime) -> list[ReceiptRow]:
        """Received within the span."""

    async def payments_received(self, start: datetime, end: datetime) -> list[EventRow]:
        """`payment-received` events queued within the span, published or not."""

    async def anomalies(self, start: datetime, end: datetime) -> list[AnomalyRow]:
        """Received within the span, or still unresolved."""


class PaymentsUnitOfWork(UnitOfWork, Protocol):
    """The repositories on the unit of work's transaction (read-only members, so that an
    implementation may type them as its own classes)."""

    @property
    def notices(self) -> Notices: ...

    @property
    def receipts(self) -> Receipts: ...

    @property
    def day_book(self) -> DayBook: ...


@dataclass(frozen=True)
class CartNotice:
    notice_number: str
    creditor_fiscal_code: str
    amount_cents: int
    company_name: str
    description: str


class Checkout(Protocol):
    """pagoPA Checkout, the platform's payment pages (raises `CheckoutUnavailable`)."""

    async def start_cart(self, cart_id: str, notice: CartNotice, return_url: str, email: str | None) -> str:
        """The Checkout page where the parent pays a cart of one notice."""
