"""In-memory fakes of the payments ports, for handler unit tests (no I/O).

Like the real unit of work, the fake keeps nothing that was not committed: leaving the block
without `commit()` puts the repositories back as they were at the last commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from payments.domain.aca import (
    AcaAnswer,
    AcaBacklog,
    AcaStatus,
    Attempt,
    NoticeChange,
    QueuedChange,
    Registration,
)
from payments.domain.creditor import Creditor
from payments.domain.notice import ListedNotice, Notice, NoticeNumber, NoticeState
from payments.domain.receipt import Anomaly, Receipt
from payments.domain.reconciliation import AnomalyRow, EventRow, NoticeRow, ReceiptRow
from payments.domain.station import Station
from payments.handlers.ports import CartNotice
from testkit.fakes import FakeUnitOfWork

CREDITOR = Creditor(
    fiscal_code="01234567897",
    name="Comune di Prova",
    office="Ufficio Scuola",
    iban="IT60X0542811101000000123456",
    transfer_category="9/0201102IM/",
    cbill="AAAAA",
    segregation_code="02",
    notice_validity_days=60,
)
STATION = Station(CREDITOR.fiscal_code, "01234567897", "01234567897_01")


def pinned(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def a_notice(base: int = 1, amount_cents: int = 2500, due_date: date = date(2026, 12, 31)) -> Notice:
    number = NoticeNumber.build(CREDITOR.segregation_code, base)
    return Notice.top_up(number, uuid.uuid4(), amount_cents, "RSSMRA80A01H501U", "Mario Rossi", due_date)


def receipt_for(notice: Notice, receipt_id: str = "rt-1", **changes: Any) -> Receipt:
    paid = Receipt(
        receipt_id=receipt_id,
        creditor_fiscal_code=CREDITOR.fiscal_code,
        notice_number=notice.notice_number,
        iuv=notice.iuv,
        amount_cents=notice.amount_cents,
        psp="BCITITMM",
        channel="BCITITMM_01",
        paid_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        stand_in=False,
    )
    return replace(paid, **changes)


class FakeNotices:
    def __init__(self, *notices: Notice) -> None:
        self.rows = {n.notice_number: n for n in notices}
        self.checkouts: dict[str, datetime] = {}
        self.creditors: dict[str, str] = {}
        self.paid_by: dict[str, str | None] = {}
        self.locked: list[str] = []
        self.reads = 0
        self._base = 41

    def snapshot(self) -> Any:
        return dict(self.rows), dict(self.creditors), dict(self.paid_by)

    def restore(self, saved: Any) -> None:
        self.rows, self.creditors, self.paid_by = (dict(part) for part in saved)

    async def next_number_base(self) -> int:
        self._base += 1  # a sequence: never handed out twice, committed or not
        return self._base

    async def add(self, notice: Notice, creditor_fiscal_code: str) -> None:
        self.rows[notice.notice_number] = notice
        self.creditors[notice.notice_number] = creditor_fiscal_code

    async def get(self, notice_number: str, *, for_update: bool = False) -> Notice | None:
        self.reads += 1
        if for_update:
            self.locked.append(notice_number)
        return self.rows.get(notice_number)

    async def of_account(self, account_id: uuid.UUID, limit: int) -> list[ListedNotice]:
        mine = [n for n in self.rows.values() if n.account_id == account_id]
        return [ListedNotice(n, datetime(2026, 11, 25, tzinfo=UTC)) for n in mine[::-1][:limit]]

    async def close(self, notice_number: str, state: NoticeState, receipt_id: str | None = None) -> None:
        self.rows[notice_number] = replace(self.rows[notice_number], state=state)
        self.paid_by[notice_number] = receipt_id

    async def mark_activated(self, notice_number: str, at: datetime) -> None:
        self.rows[notice_number] = replace(self.rows[notice_number], activated_at=at)

    async def mark_checkout(self, notice_number: str, at: datetime) -> None:
        self.checkouts[notice_number] = at

    async def change(self, notice_number: str, amount_cents: int, due_date: date) -> None:
        self.rows[notice_number] = replace(self.rows[notice_number], amount_cents=amount_cents, due_date=due_date)

    async def start_cancelling(self, notice_number: str) -> None:
        self.rows[notice_number] = replace(self.rows[notice_number], state=NoticeState.CANCELLING)

    async def finish_cancelling(self, notice_number: str) -> None:
        if self.rows[notice_number].state is NoticeState.CANCELLING:
            self.rows[notice_number] = replace(self.rows[notice_number], state=NoticeState.CANCELLED)


class FakeAcaChanges:
    """The queue of changes as rows in id order; `sender_free` is False while another replica sends."""

    def __init__(self, now: datetime = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)) -> None:
        self.rows: list[dict[str, Any]] = []
        self.sender_free = True
        self._now = now

    def snapshot(self) -> Any:
        return [dict(row) for row in self.rows]

    def restore(self, saved: Any) -> None:
        self.rows = [dict(row) for row in saved]

    def of(self, notice_number: str) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["notice_number"] == notice_number]

    async def queue(self, change: NoticeChange) -> AcaStatus:
        row = {"id": len(self.rows) + 1, "change": change, "state": Registration.PENDING, "attempts": 0}
        self.rows.append(row | {"notice_number": change.notice_number, "next_at": self._now, "attempt": None})
        return _status(self.rows[-1])

    async def lock_sender(self) -> bool:
        return self.sender_free

    async def due(self, now: datetime, limit: int) -> list[QueuedChange]:
        latest: dict[str, dict[str, Any]] = {}
        for row in self.rows:
            if row["state"] is Registration.PENDING:
                latest[row["notice_number"]] = row
        due = sorted((r for r in latest.values() if r["next_at"] <= now), key=lambda r: r["id"])[:limit]
        for row in self.rows:
            if row["state"] is Registration.PENDING and any(
                row["notice_number"] == d["notice_number"] and row["id"] < d["id"] for d in due
            ):
                row["state"] = Registration.SUPERSEDED
        return [
            QueuedChange(r["id"], r["notice_number"], r["change"].change, r["change"].position, r["attempts"])
            for r in due
        ]

    async def record(self, change_id: int, attempt: Attempt) -> None:
        row = self.rows[change_id - 1]
        row.update(state=attempt.state, attempts=attempt.attempts, attempt=attempt)
        row["next_at"] = attempt.next_attempt_at or row["next_at"]

    async def status(self, notice_number: str) -> AcaStatus | None:
        mine = self.of(notice_number)
        return _status(mine[-1]) if mine else None

    async def backlog(self, state: Registration | None, limit: int) -> AcaBacklog:
        latest = {row["notice_number"]: row for row in self.rows}.values()
        unsettled = [r for r in latest if r["state"] in (Registration.PENDING, Registration.FAILED)]
        pending = [r for r in unsettled if r["state"] is Registration.PENDING]
        chosen = [(r["notice_number"], _status(r)) for r in unsettled if state is None or r["state"] is state]
        return AcaBacklog(len(pending), len(unsettled) - len(pending), self._now if pending else None, chosen[:limit])

    async def retry_failed(self, notice_number: str, now: datetime) -> AcaStatus | None:
        mine = self.of(notice_number)
        if mine and mine[-1]["state"] is Registration.FAILED:
            mine[-1].update(state=Registration.PENDING, next_at=now)
        return await self.status(notice_number)


def _status(row: dict[str, Any]) -> AcaStatus:
    attempt: Attempt | None = row["attempt"]
    return AcaStatus(
        row["change"].change,
        row["state"],
        row["attempts"],
        datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        attempt.answer if attempt else None,
        attempt.at if attempt else None,
        row["next_at"] if row["state"] is Registration.PENDING else None,
    )


class FakeAca:
    """ACA answering from a script: `answers` are used in turn (then 200), every body is kept."""

    def __init__(self, *answers: AcaAnswer) -> None:
        self.answers = list(answers)
        self.bodies: list[dict[str, Any]] = []

    async def register(self, position: dict[str, Any]) -> AcaAnswer:
        self.bodies.append(position)
        return self.answers.pop(0) if self.answers else AcaAnswer(200, "VALID")


class FakeReceipts:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[Receipt, uuid.UUID]] = {}
        self.anomalies: dict[str, Anomaly] = {}

    def snapshot(self) -> Any:
        return dict(self.rows), dict(self.anomalies)

    def restore(self, saved: Any) -> None:
        self.rows, self.anomalies = (dict(part) for part in saved)

    async def recorded(self, receipt_id: str) -> bool:
        return receipt_id in self.rows or receipt_id in self.anomalies

    async def add(self, receipt: Receipt, account_id: uuid.UUID) -> bool:
        if any(_same_payment(receipt, kept) for kept, _ in self.rows.values()):
            return False
        self.rows[receipt.receipt_id] = (receipt, account_id)
        return True

    async def add_anomaly(self, anomaly: Anomaly) -> None:
        self.anomalies.setdefault(anomaly.receipt.receipt_id, anomaly)


def _same_payment(one: Receipt, other: Receipt) -> bool:
    """What the receipt table's keys refuse: the receipt id, its payment id, its (creditor, IUV)."""
    return (
        one.receipt_id == other.receipt_id
        or one.payment_id == other.payment_id
        or (one.creditor_fiscal_code, one.iuv) == (other.creditor_fiscal_code, other.iuv)
    )


class FakeDayBook:
    """Rows with the moment that places them in a day; an anomaly also counts while unresolved."""

    def __init__(self) -> None:
        self.notice_rows: list[tuple[datetime, NoticeRow]] = []
        self.receipt_rows: list[tuple[datetime, ReceiptRow]] = []
        self.event_rows: list[tuple[datetime, EventRow]] = []
        self.anomaly_rows: list[tuple[datetime, AnomalyRow]] = []

    async def notices(self, start: datetime, end: datetime) -> list[NoticeRow]:
        return [row for at, row in self.notice_rows if start <= at < end]

    async def receipts(self, start: datetime, end: datetime) -> list[ReceiptRow]:
        return [row for at, row in self.receipt_rows if start <= at < end]

    async def payments_received(self, start: datetime, end: datetime) -> list[EventRow]:
        return [row for at, row in self.event_rows if start <= at < end]

    async def anomalies(self, start: datetime, end: datetime) -> list[AnomalyRow]:
        return [row for at, row in self.anomaly_rows if start <= at < end or not row.resolved]


class FakePaymentsUnitOfWork(FakeUnitOfWork):
    def __init__(self, *notices: Notice) -> None:
        super().__init__()
        self.notices = FakeNotices(*notices)
        self.receipts = FakeReceipts()
        self.day_book = FakeDayBook()
        self.aca_changes = FakeAcaChanges()
        self._committed = self._snapshot()

    def _snapshot(self) -> Any:
        return self.notices.snapshot(), self.receipts.snapshot(), self.aca_changes.snapshot()

    async def commit(self) -> None:
        await super().commit()
        self._committed = self._snapshot()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        notices, receipts, aca_changes = self._committed
        self.notices.restore(notices)
        self.receipts.restore(receipts)
        self.aca_changes.restore(aca_changes)
        await super().__aexit__(kind, error, tb)


class FakeCheckout:
    def __init__(self) -> None:
        self.carts: list[tuple[str, CartNotice, str, str | None]] = []

    async def start_cart(self, cart_id: str, notice: CartNotice, return_url: str, email: str | None) -> str:
        self.carts.append((cart_id, notice, return_url, email))
        return f"https://checkout.example/c/{cart_id}"
