"""The node's receipt against in-memory ports: credited once, a duplicate, or an anomaly."""

from dataclasses import replace
from datetime import date

import pytest

from payments.domain.faults import Fault, NodeFault
from payments.domain.notice import NoticeState
from payments.domain.receipt import Outcome
from payments.handlers.receive_node_receipt import receive_node_receipt

from .fakes import STATION, FakePaymentsUnitOfWork, a_notice, receipt_for  # type: ignore[import-not-found]

LENIENT = replace(STATION, duplicate_receipt_ok=True)


async def test_a_receipt_for_an_open_notice_is_credited_with_its_notice_closed() -> None:
    notice = a_notice(amount_cents=2000)
    uow = FakePaymentsUnitOfWork(notice)
    rt = receipt_for(notice, "rt-7")
    assert await receive_node_receipt(uow, rt, STATION) is Outcome.CREDITED
    [event] = uow.published
    assert (event.account_id, event.amount_cents, event.receipt_id) == (notice.account_id, 2000, "rt-7")
    assert (event.notice_number, event.iuv, event.psp, event.channel) == (
        notice.notice_number,
        notice.iuv,
        "BCITITMM",
        "BCITITMM_01",
    )
    assert event.payment_id == rt.payment_id == receipt_for(notice, "rt-7").payment_id  # derived, stable
    assert uow.notices.rows[notice.notice_number].state is NoticeState.PAID
    assert uow.notices.paid_by[notice.notice_number] == "rt-7"
    assert uow.notices.locked == [notice.notice_number] and uow.commits == 1


async def test_an_expired_or_stand_in_receipt_is_credited_too() -> None:
    expired = a_notice(1, due_date=date(2020, 1, 31))  # the money was taken: credit it
    never_activated = a_notice(2)
    uow = FakePaymentsUnitOfWork(expired, never_activated)
    assert await receive_node_receipt(uow, receipt_for(expired, "rt-1"), STATION) is Outcome.CREDITED
    stand_in = receipt_for(never_activated, "rt-2", stand_in=True)
    assert await receive_node_receipt(uow, stand_in, STATION) is Outcome.CREDITED
    assert [e.receipt_id for e in uow.published] == ["rt-1", "rt-2"]


async def test_the_same_receipt_again_changes_nothing_and_is_refused_unless_the_station_says_ok() -> None:
    notice = a_notice()
    uow = FakePaymentsUnitOfWork(notice)
    rt = receipt_for(notice)
    await receive_node_receipt(uow, rt, STATION)
    with pytest.raises(NodeFault) as refused:
        await receive_node_receipt(uow, rt, STATION)
    assert refused.value.fault is Fault.DUPLICATE_RECEIPT
    assert await receive_node_receipt(uow, rt, LENIENT) is Outcome.DUPLICATE
    assert len(uow.published) == 1 and uow.commits == 1
    assert list(uow.receipts.rows) == [rt.receipt_id] and uow.receipts.anomalies == {}


async def test_a_receipt_whose_iuv_is_taken_is_a_duplicate_and_writes_nothing() -> None:
    notice = a_notice()
    uow = FakePaymentsUnitOfWork(notice)
    uow.receipts.rows["rt-earlier"] = (receipt_for(notice, "rt-earlier"), notice.account_id)
    assert await receive_node_receipt(uow, receipt_for(notice, "rt-other"), LENIENT) is Outcome.DUPLICATE
    assert uow.published == [] and uow.commits == 0
    assert uow.notices.rows[notice.notice_number].state is NoticeState.OPEN  # the close was not committed


async def test_another_amount_is_kept_as_an_anomaly_and_the_notice_closed() -> None:
    notice = a_notice(amount_cents=1000)
    uow = FakePaymentsUnitOfWork(notice)
    assert await receive_node_receipt(uow, receipt_for(notice, amount_cents=999), STATION) is Outcome.ANOMALY
    anomaly = uow.receipts.anomalies["rt-1"]
    assert (anomaly.kind, anomaly.receipt.amount_cents, anomaly.expected_cents) == ("amount_mismatch", 999, 1000)
    assert anomaly.account_id == notice.account_id
    assert uow.published == [] and uow.receipts.rows == {}
    assert uow.notices.rows[notice.notice_number].state is NoticeState.PAID  # it must not be paid again
    assert uow.commits == 1


@pytest.mark.parametrize(
    ("state", "kind"), [(NoticeState.PAID, "second_receipt"), (NoticeState.CANCELLED, "notice_cancelled")]
)
async def test_a_receipt_for_a_closed_notice_is_an_anomaly_and_the_notice_stays_as_it_was(
    state: NoticeState, kind: str
) -> None:
    notice = replace(a_notice(), state=state)
    uow = FakePaymentsUnitOfWork(notice)
    assert await receive_node_receipt(uow, receipt_for(notice, "rt-late"), STATION) is Outcome.ANOMALY
    assert uow.receipts.anomalies["rt-late"].kind == kind
    assert uow.notices.rows[notice.notice_number].state is state and uow.notices.paid_by == {}
    assert uow.published == []
    with pytest.raises(NodeFault) as again:
        await receive_node_receipt(uow, receipt_for(notice, "rt-late"), STATION)
    assert again.value.fault is Fault.DUPLICATE_RECEIPT


@pytest.mark.parametrize(
    ("changes", "fault"),
    [
        ({"notice_number": "302999999999999999"}, Fault.UNKNOWN_NOTICE),
        ({"creditor_fiscal_code": "99999999999"}, Fault.UNKNOWN_NOTICE),
        ({"iuv": "02999999999999999"}, Fault.SEMANTIC),
    ],
)
async def test_a_receipt_for_no_notice_of_ours_is_refused(changes: dict[str, str], fault: Fault) -> None:
    notice = a_notice()
    uow = FakePaymentsUnitOfWork(notice)
    with pytest.raises(NodeFault) as refused:
        await receive_node_receipt(uow, receipt_for(notice, **changes), STATION)
    assert refused.value.fault is fault
    assert uow.commits == 0 and uow.receipts.rows == {} and uow.receipts.anomalies == {}
