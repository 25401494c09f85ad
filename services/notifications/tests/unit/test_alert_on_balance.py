"""`alert_on_balance` against in-memory ports: the projection it keeps and the alerts it logs."""

import itertools
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from notifications.domain.policy import Policy
from notifications.handlers.alert_on_balance import alert_on_balance
from shared.events import BalanceChanged, Envelope

from .. import events
from .fakes import FakeNotificationsUnitOfWork, Store, in_transaction, known_family, summary

ROME = ZoneInfo("Europe/Rome")
NOON = datetime(2026, 11, 25, 12, tzinfo=ROME)
POLICY = Policy(low_credit_threshold_cents=2250)


def moved(account: uuid.UUID, before: int, after: int, at: datetime = NOON) -> Envelope[BalanceChanged]:
    return events.moved(account, before, after, at=at)


async def alert(store: Store, *changes: Envelope[BalanceChanged], now: datetime = NOON) -> None:
    await in_transaction(store, alert_on_balance, changes, POLICY, lambda: now)


async def test_a_run_of_meals_below_the_threshold_alerts_once_per_channel() -> None:
    store = Store()
    family = known_family(store)
    run = [moved(family, b, a) for b, a in itertools.pairwise([2700, 2250, 1800, 1350, 900])]
    await alert(store, *run)

    rows = store.delivered(family)
    assert summary(rows) == [("low_credit", "email", "queued"), ("low_credit", "sms", "queued")]
    assert {r.cause_id for r in rows} == {str(run[1].data.entry_id)}
    assert {r.event_id for r in rows} == {run[1].event_id}
    assert rows[0].params == {"balance_cents": 1800, "threshold_cents": 2250}
    assert store.balances[family].balance_cents == 900
    assert store.balances[family].negative_since is None


async def test_crossing_zero_says_in_debt_only_and_remembers_since_when() -> None:
    store = Store()
    family = known_family(store)
    went_negative = moved(family, 2600, -100, at=NOON - timedelta(days=2))
    await alert(store, went_negative, moved(family, -100, -550))

    rows = store.delivered(family)
    assert summary(rows) == [("in_debt", "email", "queued"), ("in_debt", "sms", "queued")]
    assert rows[0].params == {"balance_cents": -100}
    assert store.balances[family].negative_since == went_negative.occurred_at
    assert store.balances[family].balance_cents == -550


async def test_the_balance_carries_over_between_batches() -> None:
    """The second batch starts from the stored balance, not from its first event's `before`."""
    store = Store()
    family = known_family(store)
    since = NOON - timedelta(days=9)
    await alert(store, moved(family, 100, -350, at=since))
    await alert(store, moved(family, -350, -800))
    assert store.balances[family].negative_since == since.astimezone(UTC)
    await alert(store, moved(family, -800, 1200))
    assert store.balances[family].negative_since is None


async def test_refusals_quiet_hours_and_unknown_contacts_route_each_channel() -> None:
    store = Store()
    no_sms = known_family(store, sms_opt_out=True)
    no_phone = known_family(store, phone=None)
    unknown = uuid.uuid4()  # the contact book has not heard of it yet
    evening = datetime.combine(NOON.date(), time(22, 0), tzinfo=ROME)
    await alert(store, *(moved(a, 100, -350) for a in (no_sms, no_phone, unknown)), now=evening)

    assert summary(store.delivered(no_sms)) == [
        ("in_debt", "email", "queued"),
        ("in_debt", "sms", "suppressed_opt_out"),
    ]
    assert summary(store.delivered(no_phone)) == [("in_debt", "email", "queued")]
    unknown_rows = {r.channel: r for r in store.delivered(unknown)}
    assert unknown_rows["email"].state == "queued"
    assert unknown_rows["sms"].state == "deferred_quiet_hours"
    assert unknown_rows["sms"].not_before == datetime.combine(NOON.date() + timedelta(days=1), time(8), tzinfo=ROME)


async def test_the_same_entry_under_a_new_event_id_logs_nothing_more() -> None:
    store = Store()
    family = known_family(store)
    crossing = moved(family, 2500, 2050)
    await alert(store, crossing)
    await alert(store, Envelope.wrap(crossing.data, "accounts"))
    assert len(store.delivered(family)) == 2


async def test_nothing_is_kept_unless_the_transaction_commits() -> None:
    store = Store()
    family = known_family(store)
    async with FakeNotificationsUnitOfWork(store) as uow:
        await alert_on_balance(uow, [moved(family, 100, -350)], POLICY, lambda: NOON)
    assert store.delivered(family) == [] and family not in store.balances
