"""The one booking path: what is already booked is skipped, each account's balance runs in order."""

import uuid

import pytest

from accounts.domain.exceptions import AccountNotFound
from accounts.domain.ledger import Cause, Movement
from accounts.handlers.book_movements import book_movements

from .fakes import FakeAccountsUnitOfWork


def credit(account: uuid.UUID, cents: int, source_id: str) -> Movement:
    return Movement(account, Cause.ADJUSTMENT, cents, "test", source_id)


async def test_movements_already_booked_are_skipped_and_the_rest_announced() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    uow = FakeAccountsUnitOfWork({a: 0, b: 500})
    async with uow:
        locked = await uow.ledger.lock({a, b})
        await book_movements(uow, locked, [credit(a, 100, "1")])
        locked = await uow.ledger.lock({a, b})
        posted = await book_movements(uow, locked, [credit(a, 100, "1"), credit(b, -200, "2"), credit(a, 50, "3")])
        await uow.commit()
    assert [(p.balance_before_cents, p.balance_after_cents) for p in posted] == [(500, 300), (100, 150)]
    assert uow.ledger.balances == {a: 150, b: 300}
    assert len(uow.published) == 3


async def test_an_account_that_was_not_found_when_locking_fails_the_booking() -> None:
    a, ghost = uuid.uuid4(), uuid.uuid4()
    uow = FakeAccountsUnitOfWork({a: 0})
    async with uow:
        locked = await uow.ledger.lock({a, ghost})
        with pytest.raises(AccountNotFound):
            await book_movements(uow, locked, [credit(a, 100, "1"), credit(ghost, 100, "2")])
    assert uow.ledger.entries == []
