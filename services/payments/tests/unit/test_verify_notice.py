"""What the node hears when it verifies or activates a notice, against in-memory ports."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from payments.domain.faults import Fault, NodeFault
from payments.domain.notice import NoticeState
from payments.handlers.activate_notice import activate_notice
from payments.handlers.verify_notice import NoticeQuery, verify_notice

from .fakes import CREDITOR, STATION, FakePaymentsUnitOfWork, a_notice, pinned  # type: ignore[import-not-found]

# 23:30 UTC on 31 January is already 1 February in Rome.
LAST_EVENING_IN_ROME = pinned(datetime(2026, 1, 31, 22, 30, tzinfo=UTC))
FIRST_NIGHT_IN_ROME = pinned(datetime(2026, 1, 31, 23, 30, tzinfo=UTC))


def query(number: str, fiscal_code: str = CREDITOR.fiscal_code) -> NoticeQuery:
    return NoticeQuery(fiscal_code, number)


async def test_an_open_notice_is_payable_until_its_due_day_ends_in_rome() -> None:
    notice = a_notice(due_date=date(2026, 1, 31))
    uow = FakePaymentsUnitOfWork(notice)
    assert await verify_notice(uow, query(notice.notice_number), STATION, LAST_EVENING_IN_ROME) == notice
    with pytest.raises(NodeFault) as expired:
        await verify_notice(uow, query(notice.notice_number), STATION, FIRST_NIGHT_IN_ROME)
    assert expired.value.fault is Fault.EXPIRED


@pytest.mark.parametrize(
    ("state", "fault"), [(NoticeState.PAID, Fault.ALREADY_PAID), (NoticeState.CANCELLED, Fault.CANCELLED)]
)
async def test_a_closed_notice_gets_its_fault(state: NoticeState, fault: Fault) -> None:
    notice = replace(a_notice(), state=state)
    with pytest.raises(NodeFault) as refused:
        await verify_notice(FakePaymentsUnitOfWork(notice), query(notice.notice_number), STATION, LAST_EVENING_IN_ROME)
    assert refused.value.fault is fault


async def test_unknown_notices_another_creditor_and_the_all_zeros_probe() -> None:
    notice = a_notice()
    uow = FakePaymentsUnitOfWork(notice)
    for asked in (query("000000000000000000"), query("302999999999999999")):
        with pytest.raises(NodeFault) as unknown:
            await verify_notice(uow, asked, STATION, LAST_EVENING_IN_ROME)
        assert unknown.value.fault is Fault.UNKNOWN_NOTICE
    reads = uow.notices.reads
    with pytest.raises(NodeFault) as other:
        await verify_notice(uow, query(notice.notice_number, "99999999999"), STATION, LAST_EVENING_IN_ROME)
    assert other.value.fault is Fault.UNKNOWN_NOTICE
    assert uow.notices.reads == reads  # another creditor's notice is not even looked for


async def test_activation_wants_the_notice_amount_if_the_psp_states_one() -> None:
    notice = a_notice(amount_cents=4000)
    uow = FakePaymentsUnitOfWork(notice)
    asked = query(notice.notice_number)
    assert await activate_notice(uow, asked, 4000, STATION, LAST_EVENING_IN_ROME) == notice
    again = await activate_notice(uow, asked, None, STATION, LAST_EVENING_IN_ROME)
    assert again.amount_cents == 4000 and again.activated_at == LAST_EVENING_IN_ROME()
    with pytest.raises(NodeFault) as refused:
        await activate_notice(uow, asked, 3999, STATION, LAST_EVENING_IN_ROME)
    assert refused.value.fault is Fault.SEMANTIC
    # Each activation locks the notice and records when; a refused one writes nothing.
    assert uow.notices.locked == [notice.notice_number] * 3 and uow.commits == 2
