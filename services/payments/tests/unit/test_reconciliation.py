from payments.domain.reconciliation import AnomalyRow, EventRow, NoticeRow, ReceiptRow, Report


def notice(number: str, state: str, receipt_id: str | None) -> NoticeRow:
    return NoticeRow(number, number[1:], "acc", 100, state, "2026-12-31", receipt_id)


def receipt(receipt_id: str, number: str) -> ReceiptRow:
    return ReceiptRow(receipt_id, number, number[1:], "acc", 100, "PSP", "2026-11-25T10:00:00+00:00", False)


def test_what_matches_is_not_flagged_and_the_rest_is() -> None:
    report = Report(
        day="2026-11-25",
        notices=[
            notice("3" + "1" * 17, "paid", "rt-ok"),
            notice("3" + "2" * 17, "paid", "rt-missing"),
            notice("3" + "3" * 17, "open", None),
            notice("3" + "4" * 17, "paid", "rt-odd"),
        ],
        receipts=[receipt("rt-ok", "3" + "1" * 17), receipt("rt-uncredited", "3" + "5" * 17)],
        events=[EventRow("ev-ok", "rt-ok", "acc", 100, True), EventRow("ev-stray", "rt-elsewhere", "acc", 100, False)],
        anomalies=[AnomalyRow("rt-odd", "amount_mismatch", "3" + "4" * 17, 99, 100, False)],
    )
    assert {(f.kind, f.reference) for f in report.findings} == {
        ("receipt_without_credit", "rt-uncredited"),
        ("credit_not_published", "ev-stray"),
        ("credit_without_receipt", "ev-stray"),
        ("paid_notice_without_receipt", "3" + "2" * 17),
        ("amount_mismatch", "rt-odd"),
    }
    as_json = report.as_json()
    assert as_json["totals"] == {
        "notices": 4,
        "receipts": 2,
        "received_cents": 200,
        "events": 2,
        "anomalies": 1,
        "findings": 5,
    }
    lines = report.as_csv().splitlines()
    assert lines[0] == "record,reference,notice_number,account_id,amount_cents,status,finding"
    assert len(lines) == 1 + 4 + 2 + 2 + 1
    assert "receipt,rt-uncredited,355555555555555555,acc,100,,receipt_without_credit" in lines
