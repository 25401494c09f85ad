"""What the payments handlers need from the outside world: its repositories on one unit of work,
a clock, pagoPA Checkout and pagoPA's ACA."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from payments.domain.aca import AcaAnswer, AcaBacklog, AcaStatus, Attempt, NoticeChange, QueuedChange, Registration
from payments.domain.anomalies import KeptAnomaly, Resolve
from payments.domain.notice import ListedNotice, Notice, NoticeState
from payments.domain.receipt import Anomaly, Receipt
from payments.domain.reconciliation import AnomalyRow, EventRow, NoticeRow, ReceiptRow, TopUpsOfDay
from shared.unit_of_work import UnitOfWork

Clock = Callable[[], datetime]  # now, time-zone aware


class Notices(Protocol):
    async def next_number_base(self) -> int:
        """A 13-digit IUV base never handed out before."""

    async def add(self, notice: Notice, creditor_fiscal_code: str) -> None: ...

    async def get(self, notice_number: str, *, for_update: bool = False) -> Notice | None:
        """`for_update` locks the notice until the transaction ends."""

    async def of_account(self, account_id: uuid.UUID, limit: int) -> list[ListedNotice]:
        """The account's notices, newest first."""

    async def close(self, notice_number: str, state: NoticeState, receipt_id: str | None = None) -> None:
        """Records that the notice was paid (by `receipt_id`) or cancelled, and when."""

    async def mark_activated(self, notice_number: str, at: datetime) -> None: ...

    async def mark_checkout(self, notice_number: str, at: datetime) -> None:
        """A Checkout cart was started for it: if paid, it was paid online."""

    async def change(self, notice_number: str, amount_cents: int, due_date: date) -> None: ...

    async def start_cancelling(self, notice_number: str) -> None:
        """The office cancelled it; it stays `cancelling` until ACA invalidated it."""

    async def finish_cancelling(self, notice_number: str) -> None:
        """`cancelling` becomes `cancelled` (a notice paid meanwhile stays paid)."""


class AcaChanges(Protocol):
    """The changes of the notices that ACA must learn, queued in the notice's own transaction."""

    async def queue(self, change: NoticeChange) -> AcaStatus: ...

    async def lock_sender(self) -> bool:
        """Whether this transaction is the one sender (replicas take turns), so that the changes of
        a notice leave one at a time, in order."""

    async def due(self, now: datetime, limit: int) -> list[QueuedChange]:
        """The latest pending change of each notice whose attempt is due, oldest first; the older
        pending changes of those notices are marked superseded."""

    async def record(self, change_id: int, attempt: Attempt) -> None: ...

    async def status(self, notice_number: str) -> AcaStatus | None:
        """The notice's latest change, or None if it never had one."""

    async def backlog(self, state: Registration | None, limit: int) -> AcaBacklog:
        """Notices whose latest change is pending or failed (`state` keeps one of the two)."""

    async def retry_failed(self, notice_number: str, now: datetime) -> AcaStatus | None:
        """The notice's latest change, pending again if it had failed (its attempts kept)."""


class Receipts(Protocol):
    async def recorded(self, receipt_id: str) -> bool:
        """Kept already, as a receipt or as an anomaly."""

    async def add(self, receipt: Receipt, account_id: uuid.UUID) -> bool:
        """False, and nothing written, when the receipt id, its payment id or its (creditor, IUV)
        is there already."""

    async def add_anomaly(self, anomaly: Anomaly) -> None: ...


class Anomalies(Protocol):
    """Receipt anomalies, as the office settles them."""

    async def listed(self, unresolved_only: bool, limit: int) -> list[KeptAnomaly]:
        """Unresolved first, newest first."""

    async def get(self, receipt_id: str, *, for_update: bool = False) -> KeptAnomaly | None: ...

    async def resolve(self, command: Resolve, resolved_by: str) -> datetime:
        """Records the resolution of an unresolved anomaly; when."""


class TopUps(Protocol):
    async def per_day(self, start: datetime, end: datetime) -> list[TopUpsOfDay]:
        """Receipts paid within [start, end), per Rome day, online or at a counter (days without any left out)."""


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

    @property
    def aca_changes(self) -> AcaChanges: ...

    @property
    def anomalies(self) -> Anomalies: ...

    @property
    def top_ups(self) -> TopUps: ...


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


class Aca(Protocol):
    """pagoPA's Archivio Centralizzato Avvisi (`POST /paCreatePosition`)."""

    async def register(self, position: dict[str, Any]) -> AcaAnswer:
        """Never raises for ACA's own trouble: an unreachable ACA is an answer without a status."""
