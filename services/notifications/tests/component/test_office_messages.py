"""The office's messages: a communication to everyone, a school, a class or chosen families,
counted (who gets it, who refused it) before it is sent and reported after; the reminder the
office sends now, once per request."""

import json
import uuid
from typing import Any

import httpx

from ..conftest import Families, Mailbox
from ..events import moved, request

SUBJECT, TEXT = "Uscita didattica", "Venerdì la classe pranza al sacco: la mensa non addebita il pasto."


def broadcast(**audience: Any) -> dict[str, Any]:
    return {"subject": SUBJECT, "text": TEXT, **audience}


async def count(notifications: httpx.AsyncClient, **audience: Any) -> dict[str, Any]:
    response = await notifications.post("/internal/audiences/count", json=broadcast(**audience))
    assert response.status_code == 200, response.text
    counted: dict[str, Any] = response.json()
    return counted


def channels(counted: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    return {c["channel"]: (c["recipients"], c["opted_out"], c["no_address"]) for c in counted["audience"]["channels"]}


async def test_each_target_reaches_its_own_families(families: Families, notifications: httpx.AsyncClient) -> None:
    school, other = f"primaria-{uuid.uuid4().hex[:8]}", f"primaria-{uuid.uuid4().hex[:8]}"
    four_a, four_a_too, three_b = [await families.new(school_id=school, class_id=c) for c in ("4A", "4A", "3B")]
    elsewhere = await families.new(school_id=other, class_id="4A")
    targets = {
        "class": ({"school_id": school, "class_id": "4A"}, {four_a, four_a_too}),
        "school": ({"school_id": school}, {four_a, four_a_too, three_b}),
        "chosen": ({"account_ids": [str(three_b.account_id), str(elsewhere.account_id)]}, {three_b, elsewhere}),
    }
    for audience, reached in targets.values():
        counted = await count(notifications, channels=["email"], **audience)
        assert counted["audience"]["families"] == len(reached)
        assert channels(counted) == {"email": (len(reached), 0, 0)}
    everyone = await count(notifications, channels=["email"], everyone=True)
    assert everyone["audience"]["families"] >= 4  # the session's other families too

    sent = [request(template="broadcast", params={"subject": SUBJECT, "text": TEXT}, **a) for a, _ in targets.values()]
    for envelope in sent:
        await families.send("notification-requested", envelope)
    for envelope, (_, reached) in zip(sent, targets.values(), strict=True):
        await families.consumed("notifications.fulfil-request", envelope)
        outcome = await notifications.get(f"/internal/requests/{envelope.data.request_id}/outcomes")
        assert sum(o["count"] for o in outcome.json()) == 2 * len(reached)  # email and SMS each
    reached_by = list(zip(sent, [reached for _, reached in targets.values()], strict=True))
    for family in (four_a, four_a_too, three_b, elsewhere):
        causes = {r["cause_id"] for r in await families.deliveries(family.account_id)}
        assert causes == {str(e.data.request_id) for e, reached in reached_by if family in reached}


async def test_a_class_without_its_school_is_refused(notifications: httpx.AsyncClient) -> None:
    response = await notifications.post("/internal/audiences/count", json=broadcast(class_id="4A", channels=["email"]))
    assert response.status_code == 422
    assert response.json()["code"] == "destinatari_non_validi"


async def test_refusals_are_counted_before_and_respected_in_the_report(
    families: Families, notifications: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    school = f"primaria-{uuid.uuid4().hex[:8]}"
    willing = await families.new(school_id=school)
    refusing = await families.new(school_id=school, email_opt_out=True)
    no_phone = await families.new(school_id=school, phone=None)
    counted = await count(notifications, school_id=school, channels=["email", "sms"])
    assert channels(counted) == {"email": (2, 1, 0), "sms": (2, 0, 1)}
    [email, sms] = counted["previews"]
    assert (email["channel"], email["subject"]) == ("email", SUBJECT)
    assert "Gentile famiglia," in email["body"] and TEXT in email["body"]
    assert sms["channel"] == "sms" and TEXT in sms["body"]

    sent = request(school_id=school, template="broadcast", params={"subject": SUBJECT, "text": TEXT})
    await families.send("notification-requested", sent)
    for family, expect in ((willing, 2), (refusing, 2), (no_phone, 1)):
        await families.settled(family.account_id, expect=expect)
    assert len(mailbox.to(willing.email)) == 1 and len(mailbox.to(no_phone.email)) == 1
    assert mailbox.to(refusing.email) == []
    report = await notifications.get(f"/internal/requests/{sent.data.request_id}/outcomes")
    assert sorted((o["channel"], o["state"], o["count"]) for o in report.json()) == [
        ("email", "sent", 2),
        ("email", "suppressed_opt_out", 1),
        ("sms", "sent", 2),
    ]


async def test_a_reminder_now_goes_once_per_request_to_the_families_still_in_debt(
    families: Families, notifications: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    owing, paid = await families.new(phone=None), await families.new(phone=None)
    await families.send("balance-changed", moved(owing.account_id, 200, -1150))
    await families.send("balance-changed", moved(paid.account_id, 0, -450))
    last = moved(paid.account_id, -450, 550)
    await families.send("balance-changed", last)
    await families.consumed("notifications.alert-on-balance", last)
    await families.settled(owing.account_id, expect=1)  # the in-debt alert

    asked = [owing.account_id, paid.account_id]
    now = request(account_ids=asked, template="reminder")
    for _ in range(2):  # the same request, redelivered and sent again under a new event id
        await families.send("notification-requested", now)
    again = now.model_copy(update={"event_id": uuid.uuid4()})
    await families.send("notification-requested", again)
    await families.consumed("notifications.fulfil-request", again)

    rows = await families.settled(owing.account_id, expect=2)
    assert [(r["rule"], r["cause_id"], r["state"]) for r in rows if r["rule"] == "reminder"] == [
        ("reminder", str(now.data.request_id), "sent")
    ]
    reminders = [m for m in mailbox.to(owing.email) if m["Subject"] == "Sollecito di pagamento del servizio mensa"]
    assert len(reminders) == 1 and "€ 11,50" in reminders[0].get_content()
    assert [r for r in await families.deliveries(paid.account_id) if r["rule"] == "reminder"] == []

    listed = await notifications.get("/internal/reminders", params={"account_id": [str(a) for a in asked]})
    assert [(d["channel"], d["state"]) for d in listed.json()] == [("email", "sent")]
    assert owing.email not in listed.text


async def test_a_v2_broadcast_to_a_school_in_flight_is_still_sent(families: Families, mailbox: Mailbox) -> None:
    """As accounts wrote it before classes and `everyone` (upcast to v3: the whole school)."""
    school = f"primaria-{uuid.uuid4().hex[:8]}"
    family = await families.new(school_id=school, class_id="3B", phone=None)
    v2 = {
        "event_id": str(uuid.uuid4()),
        "type": "notification-requested",
        "version": 2,
        "occurred_at": "2026-11-25T10:00:00Z",
        "producer": "accounts",
        "data": {
            "request_id": str(uuid.uuid4()),
            "school_id": school,
            "template": "broadcast",
            "params": {"subject": SUBJECT, "text": TEXT},
            "channels": ["email"],
        },
    }
    await families.send_raw("notification-requested", uuid.UUID(v2["data"]["request_id"]), json.dumps(v2).encode())
    [row] = await families.settled(family.account_id, expect=1)
    assert (row["rule"], row["cause_id"], row["state"]) == ("broadcast", v2["data"]["request_id"], "sent")
    assert [m["Subject"] for m in mailbox.to(family.email)] == [SUBJECT]
