"""The ledger fed by real Kafka events: debits, credits, redelivery, poison, concurrency."""

import asyncio
import json
import uuid
from datetime import UTC, date, datetime

import httpx
from sqlalchemy import func, select

from accounts.adapters.tables import account, ledger_entry
from accounts.config import AccountsSettings
from shared.db import make_engine
from shared.events import Envelope, MealConsumed, PaymentReceived
from testkit.kafka import eventually, publish, read_all

from .test_families import family


async def new_account(office: httpx.AsyncClient) -> tuple[str, str]:
    body = (await office.post("/office/families", json=family())).json()
    return body["account_id"], body["student_ids"][0]


def meal(account_id: str, student_id: str, day: int, event_id: uuid.UUID | None = None) -> Envelope[MealConsumed]:
    service_date = date(2026, 11, day)
    data = MealConsumed(
        meal_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{student_id}:{service_date}"),
        student_id=student_id,
        account_id=account_id,
        school_id="primaria-roma",
        class_id="2B",
        service_date=service_date,
    )
    return Envelope.wrap(data, producer="attendance", event_id=event_id)


def top_up(account_id: str, cents: int) -> Envelope[PaymentReceived]:
    receipt = uuid.uuid4().hex
    return Envelope.wrap(
        PaymentReceived(
            payment_id=uuid.uuid4(),
            notice_number="3" + "0" * 17,
            iuv="0" * 15,
            account_id=account_id,
            amount_cents=cents,
            paid_at=datetime.now(UTC),
            channel="counter",
            psp="tabaccheria",
            receipt_id=receipt,
        ),
        producer="payments",
    )


async def send(kafka: str, topic: str, envelope: Envelope, key: str | None = None) -> None:  # type: ignore[type-arg]
    await publish(kafka, topic, envelope.to_json(), key=key or envelope.data.partition_key())


async def balance_of(office: httpx.AsyncClient, account_id: str) -> int:
    return int((await office.get(f"/accounts/{account_id}")).json()["balance"]["cents"])


async def balance_becomes(office: httpx.AsyncClient, account_id: str, cents: int) -> None:
    async def reached() -> bool:
        return await balance_of(office, account_id) == cents

    await eventually(reached)


async def test_a_meal_is_debited_and_announced(office: httpx.AsyncClient, kafka: str, topic_prefix: str) -> None:
    account_id, student_id = await new_account(office)
    await send(kafka, f"{topic_prefix}meal-consumed", meal(account_id, student_id, 2))
    await balance_becomes(office, account_id, -450)  # negative: meals are never refused
    movements = (await office.get(f"/accounts/{account_id}/movements")).json()["items"]
    assert [(m["cause"], m["amount"]["display"]) for m in movements] == [("meal", "-€ 4,50")]
    ours = lambda r: json.loads(r.value)["data"]["account_id"] == account_id  # noqa: E731
    changed = await read_all(kafka, f"{topic_prefix}balance-changed", expect=1, keep=ours)
    mine = [json.loads(r.value)["data"] for r in changed]
    assert [(c["balance_before_cents"], c["balance_after_cents"]) for c in mine] == [(0, -450)]


async def test_redelivery_and_replays_change_nothing(office: httpx.AsyncClient, kafka: str, topic_prefix: str) -> None:
    account_id, student_id = await new_account(office)
    lunch = meal(account_id, student_id, 3)
    await send(kafka, f"{topic_prefix}meal-consumed", lunch)
    await send(kafka, f"{topic_prefix}payment-received", payment := top_up(account_id, 2000))
    await balance_becomes(office, account_id, 1550)
    # The same envelopes again, and the same meal under a new event id (a producer's replay).
    await send(kafka, f"{topic_prefix}meal-consumed", lunch)
    await send(kafka, f"{topic_prefix}payment-received", payment)
    await send(kafka, f"{topic_prefix}meal-consumed", meal(account_id, student_id, 3, event_id=uuid.uuid4()))
    await send(kafka, f"{topic_prefix}meal-consumed", marker := meal(account_id, student_id, 4))
    await balance_becomes(office, account_id, 1100)  # only the marker meal moved money
    assert len((await office.get(f"/accounts/{account_id}/movements")).json()["items"]) == 3
    del marker


async def test_a_poison_meal_is_dead_lettered_and_the_rest_applied(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str
) -> None:
    account_id, student_id = await new_account(office)
    ghost = meal(str(uuid.uuid4()), student_id, 5)  # an account that does not exist
    topic = f"{topic_prefix}meal-consumed"
    await send(kafka, topic, meal(account_id, student_id, 5), key=account_id)
    await send(kafka, topic, ghost, key=account_id)
    await send(kafka, topic, meal(account_id, student_id, 6), key=account_id)
    await balance_becomes(office, account_id, -900)
    # The session's tests share the topic: wait for the ghost's record, not for the first one.
    dead = await read_all(
        kafka, f"{topic}.dlq", expect=1, keep=lambda r: json.loads(r.value)["event_id"] == str(ghost.event_id)
    )
    assert len(dead) == 1
    assert dict(dead[0].headers)["error_type"] == b"AccountNotFound"


async def test_hundreds_of_meals_and_a_top_up_at_once_end_exact(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str, accounts_settings: AccountsSettings
) -> None:
    account_id, _student_id = await new_account(office)
    meals = [meal(account_id, str(uuid.uuid4()), 1 + i % 28) for i in range(300)]
    await asyncio.gather(
        *(send(kafka, f"{topic_prefix}meal-consumed", m) for m in meals),
        send(kafka, f"{topic_prefix}payment-received", top_up(account_id, 100_000)),
    )
    await balance_becomes(office, account_id, 100_000 - 300 * 450)
    engine = make_engine(accounts_settings.database_url)
    try:
        async with engine.connect() as conn:
            stored = await conn.scalar(select(account.c.balance_cents).where(account.c.id == account_id))
            summed = await conn.scalar(
                select(func.sum(ledger_entry.c.amount_cents)).where(ledger_entry.c.account_id == account_id)
            )
    finally:
        await engine.dispose()
    assert stored == summed == -35_000
