"""The daily reconciliation: notices, receipts and `payment-received` events side by side.

Pure: the handler reads the day's rows, this module matches them and flags what does not add up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from shared.spreadsheet import csv_text


@dataclass(frozen=True)
class NoticeRow:
    notice_number: str
    iuv: str
    account_id: str
    amount_cents: int
    state: str
    due_date: str
    receipt_id: str | None


@dataclass(frozen=True)
class ReceiptRow:
    receipt_id: str
    notice_number: str
    iuv: str
    account_id: str
    amount_cents: int
    psp: str
    paid_at: str
    stand_in: bool


@dataclass(frozen=True)
class EventRow:
    event_id: str
    receipt_id: str
    account_id: str
    amount_cents: int
    published: bool


@dataclass(frozen=True)
class AnomalyRow:
    receipt_id: str
    kind: str
    notice_number: str
    amount_cents: int
    expected_cents: int | None
    resolved: bool


@dataclass(frozen=True)
class TopUpsOfDay:
    """The receipts credited on a Rome day: paid online (after a pagoPA Checkout cart) or at a
    counter (the printed notice at a PSP: a tabaccheria, a bank, a post office)."""

    day: date
    online_cents: int
    counter_cents: int


@dataclass(frozen=True)
class Finding:
    kind: str
    reference: str
    detail: str


@dataclass
class Report:
    day: str
    notices: list[NoticeRow]
    receipts: list[ReceiptRow]
    events: list[EventRow]
    anomalies: list[AnomalyRow]
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.findings = list(_findings(self))

    def as_json(self) -> dict[str, Any]:
        totals = {
            "notices": len(self.notices),
            "receipts": len(self.receipts),
            "received_cents": sum(r.amount_cents for r in self.receipts),
            "events": len(self.events),
            "anomalies": len(self.anomalies),
            "findings": len(self.findings),
        }
        return {"day": self.day, "totals": totals} | {
            name: [asdict(row) for row in getattr(self, name)]
            for name in ("notices", "receipts", "events", "anomalies", "findings")
        }

    def as_csv(self) -> str:
        header = ["record", "reference", "notice_number", "account_id", "amount_cents", "status", "finding"]
        flagged = {f.reference: f.kind for f in self.findings}
        rows: list[tuple[object, ...]] = [
            ("notice", n.notice_number, n.notice_number, n.account_id, n.amount_cents, n.state) for n in self.notices
        ]
        rows += [
            ("receipt", r.receipt_id, r.notice_number, r.account_id, r.amount_cents, "stand-in" if r.stand_in else "")
            for r in self.receipts
        ]
        rows += [
            (
                "payment-received",
                e.event_id,
                "",
                e.account_id,
                e.amount_cents,
                "published" if e.published else "pending",
            )
            for e in self.events
        ]
        rows += [("anomaly", a.receipt_id, a.notice_number, "", a.amount_cents, a.kind) for a in self.anomalies]
        return csv_text(header, ([*row, flagged.get(str(row[1]), "")] for row in rows), delimiter=",")


def _findings(report: Report) -> list[Finding]:
    events_by_receipt = {e.receipt_id: e for e in report.events}
    receipt_ids = {r.receipt_id for r in report.receipts}
    settled = receipt_ids | {a.receipt_id for a in report.anomalies}
    found = [
        Finding("receipt_without_credit", r.receipt_id, "ricevuta senza payment-received")
        for r in report.receipts
        if r.receipt_id not in events_by_receipt
    ]
    found += [
        Finding("credit_not_published", e.event_id, "payment-received non ancora pubblicato")
        for e in report.events
        if not e.published
    ]
    found += [
        Finding("credit_without_receipt", e.event_id, "payment-received senza ricevuta del giorno")
        for e in report.events
        if e.receipt_id not in receipt_ids
    ]
    found += [
        Finding("paid_notice_without_receipt", n.notice_number, "avviso pagato senza ricevuta")
        for n in report.notices
        if n.state == "paid" and n.receipt_id not in settled
    ]
    found += [Finding(a.kind, a.receipt_id, "anomalia da verificare") for a in report.anomalies if not a.resolved]
    return found
