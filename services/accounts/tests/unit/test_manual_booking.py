"""Paper vouchers and adjustments: once per Idempotency-Key, a family's own child only, never on
a closed year."""

import uuid
from datetime import date

import pytest

from accounts.domain.exceptions import IdempotencyConflict, StudentNotFound, YearClosed
from accounts.domain.year_end import Outcome, YearEnd
from accounts.handlers.adjust_balance import adjust_balance
from accounts.handlers.record_paper_vouchers import PaperVouchers, record_paper_vouchers
from shared.school_year import SchoolYear

from .fakes import FakeAccountsUnitOfWork


def family() -> tuple[FakeAccountsUnitOfWork, uuid.UUID, uuid.UUID]:
    account = uuid.uuid4()
    uow = FakeAccountsUnitOfWork({account: 0})
    return uow, account, uow.families.child(account)


def vouchers(account: uuid.UUID, child: uuid.UUID, count: int = 10) -> PaperVouchers:
    return PaperVouchers(account, child, count, 450, date(2026, 11, 20), "ufficio")


async def test_the_same_key_gets_the_first_answer_and_books_once() -> None:
    uow, account, child = family()
    first = await record_paper_vouchers(uow, vouchers(account, child), key="k1")
    again = await record_paper_vouchers(uow, vouchers(account, child), key="k1")
    assert first == again and first.balance_cents == 4500
    assert uow.ledger.balances[account] == 4500 and len(uow.ledger.entries) == 1
    assert uow.ledger.entries[0].movement.description == "Buoni pasto cartacei: 10 × € 4,50"
    with pytest.raises(IdempotencyConflict):
        await record_paper_vouchers(uow, vouchers(account, child, count=11), key="k1")


async def test_without_a_key_every_request_books() -> None:
    uow, account, _ = family()
    for _ in range(2):
        await adjust_balance(uow, account, -250, "Pasto doppio", "ufficio", date(2026, 11, 20), key=None)
    assert uow.ledger.balances[account] == -500
    assert [e.movement.description for e in uow.ledger.entries] == ["Rettifica: Pasto doppio"] * 2


async def test_another_familys_child_is_not_found() -> None:
    uow, account, _ = family()
    stranger = uow.families.child(uuid.uuid4())
    with pytest.raises(StudentNotFound):
        await record_paper_vouchers(uow, vouchers(account, stranger), key=None)
    assert uow.ledger.entries == []


async def test_a_closed_year_takes_no_more_movements() -> None:
    uow, account, child = family()
    year = SchoolYear(2026)
    uow.year_closings.closings[(year, account)] = YearEnd(account, Outcome.NOTHING, 0)
    with pytest.raises(YearClosed):
        await record_paper_vouchers(uow, vouchers(account, child), key="k2")
    await adjust_balance(uow, account, 100, "Anno nuovo", "ufficio", year.next().first_day, key=None)
    assert uow.ledger.balances[account] == 100
