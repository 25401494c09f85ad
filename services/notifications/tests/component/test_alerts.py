"""The balance rules, opt-outs, quiet hours and reminders, from real Kafka events to the real
SMTP server and the fake Twilio."""

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from notifications.adapters.sql_unit_of_work import SqlNotificationsUnitOfWork
from notifications.adapters.tables import balance
from notifications.config import NotificationsSettings
from notifications.handlers.remind_debtors import remind_debtors
from shared.events import Envelope
from testkit.kafka import eventually

from ..conftest import ROME, TWILIO_SID, TWILIO_TOKEN, Clock, FakeTwilio, Families, Mailbox, auth
from ..events import moved, run


def summary(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return sorted((r["rule"], r["channel"], r["state"]) for r in rows)


async def test_a_run_of_meals_below_the_threshold_sends_one_alert_per_crossing(
    families: Families, mailbox: Mailbox, twilio: FakeTwilio
) -> None:
    family = await families.new()
    # Threshold: 5 meals x € 4,50 = € 22,50. Crosses at 2250 -> 1800, then a run of meals below it.
    first = run(family.account_id, 2700, 2250, 1800, 1350, 900, 450)
    topped_up = moved(family.account_id, 450, 3450, cause="top_up")
    second = run(family.account_id, 3450, 3000, 2550, 2100, 1650)
    last = moved(family.account_id, 1650, 1200)  # after the redeliveries: once seen, they were too
    for envelope in [*first, first[1], topped_up, *second, second[2], last]:  # two redeliveries among them
        await families.send("balance-changed", envelope)
    await eventually(lambda: _balance_is(families, family.account_id, 1200))

    rows = await families.settled(family.account_id, expect=4)
    assert summary(rows) == [("low_credit", "email", "sent")] * 2 + [("low_credit", "sms", "sent")] * 2
    assert {r["cause_id"] for r in rows} == {str(first[1].data.entry_id), str(second[2].data.entry_id)}
    emails = mailbox.to(family.email)
    assert len(emails) == 2
    assert {e["Subject"] for e in emails} == {"Credito del conto mensa in esaurimento"}
    # The sender may deliver the two alerts in either order: find the first crossing's.
    [text] = [e.get_content() for e in emails if "€ 18,00" in e.get_content()]
    assert f"Gentile famiglia {family.surname}," in text
    assert "€ 22,50" in text
    assert "https://mensa.comune.example.it" in text
    assert any("€ 21,00" in e.get_content() for e in emails)
    sms = twilio.to(family.phone.replace(" ", ""))
    assert len(sms) == 2
    assert {m["path"] for m in sms} == {f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"}
    assert {m["authorization"] for m in sms} == {auth(TWILIO_SID, TWILIO_TOKEN)}
    assert {m["form"]["From"] for m in sms} == {"Refettorio"}
    assert sorted("€ 18,00" in m["form"]["Body"] for m in sms) == [False, True]


async def test_crossing_zero_sends_the_in_debt_alert_only(families: Families, mailbox: Mailbox) -> None:
    family = await families.new()
    for envelope in run(family.account_id, 2600, -100, -550):  # past the threshold and zero at once
        await families.send("balance-changed", envelope)

    rows = await families.settled(family.account_id, expect=2)
    assert summary(rows) == [("in_debt", "email", "sent"), ("in_debt", "sms", "sent")]
    [message] = mailbox.to(family.email)
    assert message["Subject"] == "Conto mensa in negativo"
    assert "-€ 1,00" in message.get_content()


async def test_a_refused_channel_gets_nothing_and_the_log_says_so(
    families: Families, mailbox: Mailbox, twilio: FakeTwilio
) -> None:
    no_sms = await families.new(sms_opt_out=True)
    no_email = await families.new(email_opt_out=True)
    for family in (no_sms, no_email):
        await families.send("balance-changed", moved(family.account_id, 100, -350))

    assert summary(await families.settled(no_sms.account_id, expect=2)) == [
        ("in_debt", "email", "sent"),
        ("in_debt", "sms", "suppressed_opt_out"),
    ]
    assert summary(await families.settled(no_email.account_id, expect=2)) == [
        ("in_debt", "email", "suppressed_opt_out"),
        ("in_debt", "sms", "sent"),
    ]
    assert len(mailbox.to(no_sms.email)) == 1 and twilio.to(no_sms.phone, accepted_only=False) == []
    assert mailbox.to(no_email.email) == [] and len(twilio.to(no_email.phone)) == 1


async def test_sms_wait_for_the_morning_and_email_does_not(
    families: Families, mailbox: Mailbox, twilio: FakeTwilio, clock: Clock
) -> None:
    family = await families.new()
    evening = datetime.combine(datetime.now(ROME).date(), time(22, 30), tzinfo=ROME)
    clock.set(evening)
    await families.send("balance-changed", moved(family.account_id, 3000, 2000))

    await eventually(lambda: mailbox.to(family.email))
    rows = await families.deliveries(family.account_id)
    sms = next(r for r in rows if r["channel"] == "sms")
    assert sms["state"] == "deferred_quiet_hours"
    morning = datetime.combine(evening.date() + timedelta(days=1), time(8, 0), tzinfo=ROME)
    assert sms["not_before"] == morning
    assert twilio.to(family.phone, accepted_only=False) == []

    clock.set(morning + timedelta(minutes=1))
    rows = await families.settled(family.account_id, expect=2)
    assert summary(rows) == [("low_credit", "email", "sent"), ("low_credit", "sms", "sent")]
    assert len(twilio.to(family.phone)) == 1


async def test_reminders_go_once_per_period_to_accounts_negative_for_too_long(
    families: Families, mailbox: Mailbox, notifications_settings: NotificationsSettings, engine: Any
) -> None:
    family = await families.new()
    since = datetime.combine(datetime.now(ROME).date() - timedelta(days=30), time(10, 0), tzinfo=ROME)
    went_negative = moved(family.account_id, 450, -900).model_copy(update={"occurred_at": since.astimezone(UTC)})
    await families.send("balance-changed", went_negative)
    await families.settled(family.account_id, expect=2)  # the in-debt alert

    policy = notifications_settings.policy()  # after 7 days, then every 7 days

    async def remind(at: datetime) -> int:
        return await remind_debtors(
            SqlNotificationsUnitOfWork(engine, "notifications"), policy, at, only_accounts=[family.account_id]
        )

    assert await remind(since + timedelta(days=6)) == 0
    first = since + timedelta(days=7, hours=1)
    assert await remind(first) == 2
    assert await remind(first) == 0
    assert await remind(first + timedelta(days=3)) == 0
    assert await remind(first + timedelta(days=7)) == 2

    rows = await families.settled(family.account_id, expect=6)
    reminders = [r for r in rows if r["rule"] == "reminder"]
    assert summary(reminders) == [("reminder", "email", "sent")] * 2 + [("reminder", "sms", "sent")] * 2
    letters = [m for m in mailbox.to(family.email) if m["Subject"] == "Sollecito di pagamento del servizio mensa"]
    assert len(letters) == 2
    text = letters[0].get_content()
    assert "L'importo da saldare è € 9,00" in text
    assert f"dal {since:%d/%m/%Y}" in text and "pagoPA" in text

    await families.send("balance-changed", moved(family.account_id, -900, 1100, cause="top_up"))

    async def back_in_credit() -> bool:
        return await _balance(engine, family.account_id) == 1100

    await eventually(back_in_credit)
    assert await remind(first + timedelta(days=14)) == 0


async def _balance_is(families: Families, account: uuid.UUID, cents: int) -> bool:
    return await _balance(families.engine, account) == cents


async def _balance(engine: Any, account: uuid.UUID) -> int | None:
    async with engine.connect() as conn:
        return await conn.scalar(select(balance.c.balance_cents).where(balance.c.account_id == account))


async def test_the_same_fact_under_a_new_event_id_is_not_sent_twice(families: Families, mailbox: Mailbox) -> None:
    """The inbox knows event ids; the delivery log's unique cause also stops a fact replayed
    with a new id (an inbox lost or purged, a producer that re-wrapped it)."""
    family = await families.new(phone=None)
    crossing = moved(family.account_id, 2500, 2050)
    again = Envelope.wrap(crossing.data, "accounts")
    for envelope in (crossing, again, moved(family.account_id, 2050, 1600)):
        await families.send("balance-changed", envelope)
    await eventually(lambda: _balance_is(families, family.account_id, 1600))

    [row] = await families.settled(family.account_id, expect=1)
    assert (row["rule"], row["state"], row["cause_id"]) == ("low_credit", "sent", str(crossing.data.entry_id))
    assert len(mailbox.to(family.email)) == 1
