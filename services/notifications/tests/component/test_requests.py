"""`notification-requested` (password reset, office broadcasts) and `payment-received`."""

import json
import uuid

from shared.events import Envelope, NotificationRequested
from testkit.kafka import read_all

from ..conftest import FakeTwilio, Families, Mailbox
from ..events import payment, request


async def test_a_broadcast_reaches_the_schools_families_each_with_only_its_own_name(
    families: Families, mailbox: Mailbox, twilio: FakeTwilio
) -> None:
    school = f"primaria-{uuid.uuid4().hex[:8]}"
    first, second = await families.new(school_id=school), await families.new(school_id=school)
    elsewhere = await families.new(school_id=f"primaria-{uuid.uuid4().hex[:8]}")
    text = "Giovedì 27 novembre la mensa resterà chiusa per sciopero del personale."
    broadcast = request(
        school_id=school, template="service_interruption", params={"subject": "Mensa chiusa", "text": text}
    )
    await families.send("notification-requested", broadcast)
    await families.send("notification-requested", broadcast)  # redelivered: nothing twice
    await _after_the_redelivery(families, broadcast)
    for family in (first, second):
        rows = await families.settled(family.account_id, expect=2)
        assert sorted((r["channel"], r["state"]) for r in rows) == [("email", "sent"), ("sms", "sent")]
        [message] = mailbox.to(family.email)
        body = message.get_content()
        assert message["Subject"] == "Mensa chiusa"
        assert f"Gentile famiglia {family.surname}," in body and text in body
        other = second if family is first else first
        assert other.surname not in body and "€" not in body
        [sms] = twilio.to(family.phone)
        assert text in sms["form"]["Body"]
    assert await families.deliveries(elsewhere.account_id) == []
    assert mailbox.to(elsewhere.email) == []


async def test_a_password_reset_is_one_email_with_the_link_that_is_not_kept(
    families: Families, mailbox: Mailbox, twilio: FakeTwilio
) -> None:
    family = await families.new()
    link = f"https://mensa.comune.example.it/recupera-password?token={uuid.uuid4().hex}"
    reset = request(account_ids=[family.account_id], template="password_reset", params={"reset_url": link})
    for _ in range(2):  # redelivered
        await families.send("notification-requested", reset)
    await _after_the_redelivery(families, reset)

    [row] = await families.settled(family.account_id, expect=1)  # email only, though both were asked
    assert (row["rule"], row["channel"], row["state"], row["params"]) == ("password_reset", "email", "sent", {})
    [message] = mailbox.to(family.email)
    assert message["Subject"] == "Recupero password del portale mensa"
    assert link in message.get_content()
    assert twilio.to(family.phone, accepted_only=False) == []


async def test_an_unknown_template_is_dead_lettered_with_the_reason(families: Families, kafka: str) -> None:
    family = await families.new()
    bad = request(account_ids=[family.account_id], template="sconosciuto", params={})
    await families.send("notification-requested", bad)

    records = await read_all(kafka, f"{families.prefix}notification-requested.dlq", expect=1)
    mine = [r for r in records if json.loads(r.value)["event_id"] == str(bad.event_id)]
    assert len(mine) == 1
    assert dict(mine[0].headers)["error"] == b"Modello di messaggio sconosciuto: sconosciuto."
    assert await families.deliveries(family.account_id) == []


async def test_a_payment_redelivered_is_confirmed_once(families: Families, mailbox: Mailbox) -> None:
    family = await families.new(phone=None)
    paid = payment(family.account_id, 2000)
    for _ in range(3):
        await families.send("payment-received", paid)
    await families.send("payment-received", payment(family.account_id, 1250))  # after the redeliveries

    rows = await families.settled(family.account_id, expect=2)
    assert [(r["rule"], r["channel"], r["state"]) for r in rows] == [("payment_confirmation", "email", "sent")] * 2
    texts = sorted(m.get_content() for m in mailbox.to(family.email))
    assert len(texts) == 2
    assert "pagamento di € 12,50 del 20/11/2026" in texts[0] and "pagamento di € 20,00" in texts[1]


async def test_sms_provider_down_for_a_while_retries_then_delivers_once(families: Families, twilio: FakeTwilio) -> None:
    family = await families.new(email=None)
    with twilio.lock:
        twilio.failures = 3
    await families.send("payment-received", payment(family.account_id, 4500))

    [row] = await families.settled(family.account_id, expect=1)
    assert (row["channel"], row["state"], row["attempts"]) == ("sms", "sent", 4)
    assert row["recipient"] == family.phone
    assert len(twilio.to(family.phone, accepted_only=False)) == 4
    [accepted] = twilio.to(family.phone)
    assert "€ 45,00" in accepted["form"]["Body"]


async def _after_the_redelivery(families: Families, sent: Envelope[NotificationRequested]) -> None:
    """The same request re-wrapped under a new event id goes to the same partition, after the
    redelivery: once the consumer applied it, the redelivery was applied too; and it is one more
    copy of the same cause that must send nothing."""
    marker = Envelope.wrap(sent.data, "accounts")
    await families.send("notification-requested", marker)
    await families.consumed("notifications.fulfil-request", marker)
