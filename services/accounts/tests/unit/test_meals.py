"""Charging and reversing meals against in-memory ports: once each, at the charged amount, in
either order, on locked balances, each announced by a `balance-changed`."""

import uuid
from datetime import date

import pytest

from accounts.domain.exceptions import AccountNotFound
from accounts.domain.tariffs import Pricing
from accounts.handlers.charge_for_meals import charge_for_meals
from accounts.handlers.credit_top_ups import credit_top_ups
from accounts.handlers.reverse_meals import reverse_meals
from shared.events import BalanceChanged, MealCancelled, MealConsumed, PaymentReceived

from .fakes import FakeAccountsUnitOfWork, in_transaction
from .test_pricing import meal

PRICING = Pricing(default_cents=450)


def family(balance: int = 0) -> tuple[FakeAccountsUnitOfWork, uuid.UUID, uuid.UUID]:
    account = uuid.uuid4()
    return FakeAccountsUnitOfWork({account: balance}), account, uuid.uuid4()


def cancellation(m: MealConsumed, account: uuid.UUID) -> MealCancelled:
    return MealCancelled(meal_id=m.meal_id, account_id=account, reason="uscito prima")


async def test_a_meal_is_debited_once_and_announced() -> None:
    uow, account, child = family(balance=100)
    lunch = meal(account, child, date(2026, 11, 2))
    await in_transaction(uow, charge_for_meals, [lunch, lunch], PRICING)
    await in_transaction(uow, charge_for_meals, [lunch], PRICING)  # a replay under another event id
    assert uow.ledger.balances[account] == -350  # negative: meals are never refused
    assert uow.ledger.causes() == ["meal"]
    [changed] = uow.published
    assert isinstance(changed, BalanceChanged)
    assert (changed.balance_before_cents, changed.balance_after_cents, changed.cause) == (100, -350, "meal")


async def test_a_cancelled_meal_is_reversed_by_what_it_cost() -> None:
    uow, account, child = family()
    lunch = meal(account, child, date(2026, 11, 3))
    await in_transaction(uow, charge_for_meals, [lunch], Pricing(default_cents=420))
    await in_transaction(uow, reverse_meals, [cancellation(lunch, account)])
    await in_transaction(uow, reverse_meals, [cancellation(lunch, account)])
    assert uow.ledger.balances[account] == 0
    assert uow.ledger.causes() == ["meal", "meal_reversal"]
    assert [e.movement.amount_cents for e in uow.ledger.entries] == [-420, 420]


async def test_a_meal_cancelled_before_its_charge_is_never_charged() -> None:
    uow, account, child = family()
    early = meal(account, child, date(2026, 11, 4))
    await in_transaction(uow, reverse_meals, [cancellation(early, account)])
    await in_transaction(uow, charge_for_meals, [early, meal(account, child, date(2026, 11, 5))], PRICING)
    assert uow.ledger.balances[account] == -450
    assert uow.ledger.causes() == ["meal"]


async def test_a_meal_of_an_unknown_account_books_nothing() -> None:
    uow, account, child = family()
    ghost = meal(uuid.uuid4(), uuid.uuid4(), date(2026, 11, 6))
    with pytest.raises(AccountNotFound):
        await in_transaction(uow, charge_for_meals, [meal(account, child, date(2026, 11, 6)), ghost], PRICING)
    assert uow.ledger.entries == [] and uow.published == []


async def test_top_ups_are_credited_once_per_payment() -> None:
    uow, account, _ = family(balance=-450)
    payment = PaymentReceived(
        payment_id=uuid.uuid4(),
        notice_number="3" + "0" * 17,
        iuv="0" * 15,
        account_id=account,
        amount_cents=2000,
        paid_at="2026-11-20T10:00:00Z",
        channel="counter",
        psp="tabaccheria",
        receipt_id="r1",
    )
    await in_transaction(uow, credit_top_ups, [payment])
    await in_transaction(uow, credit_top_ups, [payment])  # the node resent the receipt
    assert uow.ledger.balances[account] == 1550
    assert [e.movement.description for e in uow.ledger.entries] == ["Ricarica pagoPA avviso 300000000000000000"]
