"""Creating, reading, cancelling and paying online a notice, against in-memory ports."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from payments.domain.exceptions import NoticeNotCancellable, NoticeNotFound, NoticeNotPayable
from payments.domain.notice import NoticeNumber, NoticeState
from payments.handlers.cancel_notice import cancel_notice
from payments.handlers.create_notice import CreateNotice, create_notice
from payments.handlers.get_notice import get_notice
from payments.handlers.start_checkout import StartCheckout, start_checkout

from .fakes import (  # type: ignore[import-not-found]
    CREDITOR,
    FakeCheckout,
    FakePaymentsUnitOfWork,
    a_notice,
    pinned,
)

NEW_YEARS_NIGHT_IN_ROME = pinned(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # 1 January 2027 in Rome


def command(**changes: object) -> CreateNotice:
    return replace(CreateNotice(uuid.uuid4(), 2500, "RSSMRA80A01H501U", "Anna Verdi"), **changes)  # type: ignore[arg-type]


async def test_a_new_notice_has_a_fresh_checked_number_and_is_due_after_the_validity() -> None:
    uow = FakePaymentsUnitOfWork()
    first = (await create_notice(uow, command(), CREDITOR, NEW_YEARS_NIGHT_IN_ROME)).notice
    second = (await create_notice(uow, command(amount_cents=1), CREDITOR, NEW_YEARS_NIGHT_IN_ROME)).notice
    assert first.notice_number != second.notice_number
    for notice in (first, second):
        assert notice.notice_number.startswith("302") and NoticeNumber(notice.notice_number).has_valid_check_digits()
        assert notice.iuv == notice.notice_number[1:] and notice.state is NoticeState.OPEN
    assert first.due_date == date(2027, 3, 2)  # Rome's 1 January + 60 days
    assert first.description == "Ricarica conto mensa - Anna Verdi"
    assert uow.notices.rows[first.notice_number] == first
    assert uow.notices.creditors[first.notice_number] == CREDITOR.fiscal_code
    assert uow.commits == 2 and uow.published == []  # the receipt will emit, not the notice


async def test_an_asked_due_date_is_kept() -> None:
    uow = FakePaymentsUnitOfWork()
    notice = (await create_notice(uow, command(due_date=date(2027, 1, 15)), CREDITOR, NEW_YEARS_NIGHT_IN_ROME)).notice
    assert notice.due_date == date(2027, 1, 15)


async def test_a_notice_reads_as_it_stands_today() -> None:
    notice = a_notice(due_date=date(2026, 12, 31))
    uow = FakePaymentsUnitOfWork(notice)
    view = await get_notice(uow, notice.notice_number, NEW_YEARS_NIGHT_IN_ROME)
    assert view.notice.state is NoticeState.EXPIRED and view.aca is None
    with pytest.raises(NoticeNotFound):
        await get_notice(uow, "302999999999999999", NEW_YEARS_NIGHT_IN_ROME)


async def test_only_an_open_notice_is_cancelled() -> None:
    notice, expired = a_notice(1, due_date=date(2027, 6, 30)), a_notice(2, due_date=date(2026, 12, 31))
    uow = FakePaymentsUnitOfWork(notice, expired)
    cancelling = (await cancel_notice(uow, notice.notice_number, CREDITOR, NEW_YEARS_NIGHT_IN_ROME)).notice
    assert cancelling == replace(notice, state=NoticeState.CANCELLING) == uow.notices.rows[notice.notice_number]
    assert uow.notices.locked == [notice.notice_number] and uow.commits == 1
    for number in (notice.notice_number, expired.notice_number):
        with pytest.raises(NoticeNotCancellable):
            await cancel_notice(uow, number, CREDITOR, NEW_YEARS_NIGHT_IN_ROME)
    assert uow.notices.rows[expired.notice_number] == expired and uow.commits == 1


async def test_an_open_notice_gets_a_checkout_cart_and_a_closed_one_does_not() -> None:
    notice, cancelled = a_notice(1, 1234, date(2027, 6, 30)), replace(a_notice(2), state=NoticeState.CANCELLED)
    uow, checkout = FakePaymentsUnitOfWork(notice, cancelled), FakeCheckout()
    pay = StartCheckout(notice.notice_number, "https://mensa.example.it/ricarica", None)
    started = await start_checkout(uow, pay, checkout, CREDITOR, NEW_YEARS_NIGHT_IN_ROME)
    [(cart_id, cart, return_url, email)] = checkout.carts
    assert started.cart_id == cart_id and started.checkout_url == f"https://checkout.example/c/{cart_id}"
    assert (cart.notice_number, cart.amount_cents, cart.creditor_fiscal_code) == (
        notice.notice_number,
        1234,
        "01234567897",
    )
    assert (cart.company_name, return_url, email) == (CREDITOR.name, pay.return_url, None)
    with pytest.raises(NoticeNotPayable):
        await start_checkout(
            uow, replace(pay, notice_number=cancelled.notice_number), checkout, CREDITOR, NEW_YEARS_NIGHT_IN_ROME
        )
    assert len(checkout.carts) == 1
