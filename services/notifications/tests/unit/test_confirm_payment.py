"""`confirm_payment` against in-memory ports."""

from datetime import UTC, datetime

from notifications.domain.policy import Policy
from notifications.handlers.confirm_payment import confirm_payment
from shared.events import Envelope, PaymentReceived

from ..events import payment
from .fakes import Store, in_transaction, known_family, summary

NOON = datetime(2026, 11, 25, 11, tzinfo=UTC)


async def confirm(store: Store, *payments: Envelope[PaymentReceived]) -> None:
    await in_transaction(store, confirm_payment, payments, Policy(), lambda: NOON)


async def test_each_payment_is_confirmed_on_the_channels_the_family_has() -> None:
    store = Store()
    family = known_family(store, phone=None)
    first, second = payment(family, 2000), payment(family, 1250)
    await confirm(store, first, second)

    rows = store.delivered(family)
    assert summary(rows) == [("payment_confirmation", "email", "queued")] * 2
    by_cause = {r.cause_id: r for r in rows}
    assert by_cause[str(first.data.payment_id)].params == {
        "amount_cents": 2000,
        "paid_at": "2026-11-20T15:30:00+00:00",
    }
    assert by_cause[str(second.data.payment_id)].event_id == second.event_id


async def test_a_receipt_sent_again_is_confirmed_once() -> None:
    store = Store()
    family = known_family(store)
    paid = payment(family, 4500)
    await confirm(store, paid)
    await confirm(store, Envelope.wrap(paid.data, "payments"))
    assert summary(store.delivered(family)) == [
        ("payment_confirmation", "email", "queued"),
        ("payment_confirmation", "sms", "queued"),
    ]
