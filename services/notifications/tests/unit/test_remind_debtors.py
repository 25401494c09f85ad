"""`remind_debtors` against in-memory ports: once per period of a negative streak."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from notifications.domain.policy import Policy
from notifications.domain.rules import BalanceState, ReminderPolicy
from notifications.handlers.remind_debtors import remind_debtors

from .fakes import FakeNotificationsUnitOfWork, Store, known_family, summary

SINCE = datetime(2026, 11, 2, 9, tzinfo=UTC)
POLICY = Policy(reminders=ReminderPolicy(after_days=7, period_days=7))


async def remind(store: Store, at: datetime, only: list[uuid.UUID] | None = None) -> int:
    return await remind_debtors(FakeNotificationsUnitOfWork(store), POLICY, at, only_accounts=only)


async def test_a_reminder_per_period_after_the_grace_days() -> None:
    store = Store()
    family = known_family(store)
    store.balances[family] = BalanceState(-900, SINCE)

    assert await remind(store, SINCE + timedelta(days=7)) == 0  # "more than" seven days
    first = SINCE + timedelta(days=7, hours=1)
    assert await remind(store, first) == 2
    assert await remind(store, first) == 0
    assert await remind(store, first + timedelta(days=3)) == 0
    assert await remind(store, first + timedelta(days=7)) == 2

    rows = store.delivered(family)
    assert summary(rows) == [("reminder", "email", "queued")] * 2 + [("reminder", "sms", "queued")] * 2
    assert {r.cause_id for r in rows} == {f"{family}:20261102T090000:0", f"{family}:20261102T090000:1"}
    assert rows[0].params == {"balance_cents": -900, "negative_since": SINCE.isoformat()}


async def test_only_families_still_negative_for_long_enough_are_reminded() -> None:
    store = Store()
    debtor, recent, in_credit, other = (known_family(store) for _ in range(4))
    store.balances |= {
        debtor: BalanceState(-450, SINCE),
        recent: BalanceState(-450, SINCE + timedelta(days=5)),
        in_credit: BalanceState(1200, None),
        other: BalanceState(-450, SINCE),
    }
    assert await remind(store, SINCE + timedelta(days=8), only=[debtor, recent, in_credit]) == 2
    assert [bool(store.delivered(a)) for a in (debtor, recent, in_credit, other)] == [True, False, False, False]


async def test_the_run_owns_its_transaction_and_keeps_nothing_it_could_not_commit() -> None:
    store = Store()
    store.balances[known_family(store)] = BalanceState(-450, SINCE)
    uow = FakeNotificationsUnitOfWork(store)
    assert await remind_debtors(uow, POLICY, SINCE + timedelta(days=8)) == 2
    assert uow.commits == 1

    store.balances[known_family(store)] = BalanceState(-450, SINCE)
    with pytest.raises(ConnectionError):
        await remind_debtors(FakeNotificationsUnitOfWork(store, fail_commits=1), POLICY, SINCE + timedelta(days=8))
    assert len(store.deliveries) == 2
