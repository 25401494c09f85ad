"""The reconciliation handler asks for the Rome day and lets the report find what does not add up."""

from datetime import UTC, date, datetime

from payments.domain.reconciliation import AnomalyRow, EventRow, NoticeRow, ReceiptRow
from payments.handlers.reconcile import reconcile

from .fakes import FakePaymentsUnitOfWork  # type: ignore[import-not-found]

NUMBER = "3" + "1" * 17
BEFORE_THE_DAY = datetime(2026, 11, 24, 22, 59, tzinfo=UTC)  # 23:59 on the 24th in Rome
FIRST_MINUTE = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # 00:00 on the 25th in Rome
LAST_MINUTE = datetime(2026, 11, 25, 22, 59, tzinfo=UTC)  # 23:59 on the 25th in Rome
AFTER_THE_DAY = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)


def receipt(receipt_id: str) -> ReceiptRow:
    return ReceiptRow(receipt_id, NUMBER, NUMBER[1:], "acc", 100, "PSP", "2026-11-25T10:00:00+00:00", False)


async def test_the_report_holds_the_rome_day_and_flags_what_does_not_match() -> None:
    uow = FakePaymentsUnitOfWork()
    book = uow.day_book
    book.notice_rows = [(FIRST_MINUTE, NoticeRow(NUMBER, NUMBER[1:], "acc", 100, "paid", "2026-12-31", "rt-ok"))]
    book.receipt_rows = [(BEFORE_THE_DAY, receipt("rt-yesterday")), (FIRST_MINUTE, receipt("rt-ok"))]
    book.receipt_rows += [(LAST_MINUTE, receipt("rt-uncredited")), (AFTER_THE_DAY, receipt("rt-tomorrow"))]
    book.event_rows = [(LAST_MINUTE, EventRow("ev-ok", "rt-ok", "acc", 100, True))]
    book.anomaly_rows = [
        (BEFORE_THE_DAY, AnomalyRow("rt-old", "amount_mismatch", NUMBER, 99, 100, False)),  # still open
        (BEFORE_THE_DAY, AnomalyRow("rt-settled", "amount_mismatch", NUMBER, 99, 100, True)),
    ]
    report = await reconcile(uow, date(2026, 11, 25))
    assert report.day == "2026-11-25"
    assert [r.receipt_id for r in report.receipts] == ["rt-ok", "rt-uncredited"]
    assert [a.receipt_id for a in report.anomalies] == ["rt-old"]
    assert {(f.kind, f.reference) for f in report.findings} == {
        ("receipt_without_credit", "rt-uncredited"),
        ("amount_mismatch", "rt-old"),
    }
    assert uow.commits == 0 and uow.published == []
