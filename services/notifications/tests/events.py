"""The events the notifications tests send, built one way for unit and component tests."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

from shared.events import BalanceChanged, Envelope, NotificationRequested, PaymentReceived


def moved(
    account: uuid.UUID, before: int, after: int, cause: str = "meal", at: datetime | None = None
) -> Envelope[BalanceChanged]:
    change = BalanceChanged(
        account_id=account,
        entry_id=uuid.uuid4(),
        cause=cause,
        amount_cents=after - before,
        balance_before_cents=before,
        balance_after_cents=after,
    )
    envelope = Envelope.wrap(change, "accounts")
    return envelope if at is None else envelope.model_copy(update={"occurred_at": at.astimezone(UTC)})


def run(account: uuid.UUID, *balances: int) -> list[Envelope[BalanceChanged]]:
    return [moved(account, before, after) for before, after in itertools.pairwise(balances)]


def payment(account: uuid.UUID, cents: int) -> Envelope[PaymentReceived]:
    data = PaymentReceived(
        payment_id=uuid.uuid4(),
        notice_number="301000000000000001",
        iuv="01000000000000001",
        account_id=account,
        amount_cents=cents,
        paid_at=datetime(2026, 11, 20, 15, 30, tzinfo=UTC),
        channel="counter",
        psp="tabaccheria",
        receipt_id=uuid.uuid4().hex,
    )
    return Envelope.wrap(data, "payments")


def request(**fields: object) -> Envelope[NotificationRequested]:
    return Envelope.wrap(NotificationRequested(request_id=uuid.uuid4(), **fields), "accounts")
