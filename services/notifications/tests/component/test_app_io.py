"""The app IO channel, from real Kafka events to the IO stand-in, which checks every request
against IO's official document (the `app_io` fixture fails a test that sent one off it)."""

import json
import uuid
from typing import Any

import httpx

from shared.events import Envelope, NotificationRequested
from testkit.data import tax_code
from testkit.io import FakeIo
from testkit.kafka import eventually

from ..conftest import Families
from ..events import moved, request

PROFILE, MESSAGE = "getProfileByPOST", "submitMessageforUserWithFiscalCodeInBody"


def on_io(app_io: FakeIo, allowed: bool = True) -> str:
    citizen = tax_code(year=1980)
    with app_io.lock:
        app_io.citizens[citizen] = allowed
    return citizen


def notice_for(account: uuid.UUID, notice_number: str = "302202500000123451") -> Envelope[NotificationRequested]:
    params = {
        "notice_number": notice_number,
        "amount_cents": 2500,
        "due_date": "2026-12-31",
        "payee_fiscal_code": "01234567897",
    }
    return request(account_ids=[account], template="payment_notice", params=params, channels=["io"])


def by_channel(rows: list[dict[str, Any]]) -> dict[str, tuple[str, int, str | None]]:
    return {r["channel"]: (r["state"], r["attempts"], r["last_error"]) for r in rows}


async def test_a_new_notice_reaches_the_citizens_app_io_payable_from_there(
    families: Families, app_io: FakeIo, notifications: httpx.AsyncClient
) -> None:
    citizen = on_io(app_io)
    family = await families.new(holder_tax_code=citizen)
    await families.send("notification-requested", notice_for(family.account_id))
    [row] = await families.settled(family.account_id, expect=1)

    [message] = app_io.to(citizen)
    assert (row["channel"], row["state"], row["recipient"], row["provider_id"]) == (
        "io",
        "sent",
        citizen,
        message["id"],
    )
    assert message["content"]["payment_data"] == {
        "notice_number": "302202500000123451",
        "amount": 2500,
        "payee": {"fiscal_code": "01234567897"},
        "invalid_after_due_date": True,
    }
    assert message["content"]["due_date"] == "2026-12-31T22:59:59.000Z"  # the day's end in Rome
    assert message["content"]["subject"] == "Avviso di pagamento per la ricarica della mensa scolastica"
    assert f"Gentile famiglia {family.surname}," in message["content"]["markdown"]
    assert [r["operation"] for r in app_io.requests if r["fiscal_code"] == citizen] == [PROFILE, MESSAGE]

    log = (await notifications.get(f"/internal/accounts/{family.account_id}/deliveries")).json()
    assert [(d["channel"], d["state"], d["recipient"]) for d in log] == [("io", "sent", f"***{citizen[-4:]}")]
    assert citizen not in json.dumps(log)


async def test_the_alerts_go_to_io_beside_email_and_sms(families: Families, app_io: FakeIo) -> None:
    citizen = on_io(app_io)
    family = await families.new(holder_tax_code=citizen)
    await families.send("balance-changed", moved(family.account_id, 300, -150))
    rows = await families.settled(family.account_id, expect=3)

    assert {c: s for c, (s, _, _) in by_channel(rows).items()} == {"email": "sent", "sms": "sent", "io": "sent"}
    [message] = app_io.to(citizen)
    assert message["content"]["subject"] == "Conto mensa in negativo"
    assert "**-€ 1,50**" in message["content"]["markdown"] and "payment_data" not in message["content"]


async def test_a_citizen_not_on_io_gets_nothing_there_and_it_is_recorded_not_retried(
    families: Families, app_io: FakeIo
) -> None:
    absent = tax_code(year=1981)
    family = await families.new(holder_tax_code=absent)
    await families.send("balance-changed", moved(family.account_id, 300, -150))
    rows = await families.settled(family.account_id, expect=3)

    assert by_channel(rows)["io"] == ("unreachable", 1, "non iscritto all'app IO")
    assert by_channel(rows)["email"][0] == "sent"
    assert [r["status"] for r in app_io.calls(PROFILE, absent)] == [404]
    assert app_io.calls(MESSAGE, absent) == []


async def test_a_citizen_who_turned_the_service_off_in_io_gets_nothing_and_it_is_recorded(
    families: Families, app_io: FakeIo
) -> None:
    refusing = on_io(app_io, allowed=False)
    family = await families.new(holder_tax_code=refusing)
    await families.send("notification-requested", notice_for(family.account_id))
    [row] = await families.settled(family.account_id, expect=1)

    assert (row["state"], row["attempts"]) == ("suppressed_opt_out", 1)
    assert row["last_error"] == "servizio disattivato dal cittadino nell'app IO"
    assert app_io.calls(MESSAGE, refusing) == [] and app_io.to(refusing) == []


async def test_the_familys_refusal_of_io_holds_without_asking_io(families: Families, app_io: FakeIo) -> None:
    citizen = on_io(app_io)
    family = await families.new(holder_tax_code=citizen, io_opt_out=True)
    await families.send("notification-requested", notice_for(family.account_id))
    [row] = await families.settled(family.account_id, expect=1)
    assert (row["state"], row["attempts"]) == ("suppressed_opt_out", 0)
    assert app_io.calls(PROFILE, citizen) == []


async def test_too_many_requests_is_retried_later_and_the_message_sent_once(families: Families, app_io: FakeIo) -> None:
    """A 429 is IO certainly not taking the message: tried again after a backoff, at most once."""
    citizen = on_io(app_io)
    family = await families.new(holder_tax_code=citizen)
    with app_io.lock:
        app_io.busy, app_io.busy_operation = 2, MESSAGE
    await families.send("notification-requested", notice_for(family.account_id))
    [row] = await families.settled(family.account_id, expect=1)

    assert (row["state"], row["attempts"]) == ("sent", 3)
    assert [r["status"] for r in app_io.calls(MESSAGE, citizen)] == [429, 429, 201]
    assert len(app_io.to(citizen)) == 1


async def test_a_v1_contacts_change_is_still_consumed_and_io_waits_for_the_next_change(
    families: Families, app_io: FakeIo
) -> None:
    """A v1 change (no fiscal code), upcast: email and SMS as before, nothing in IO; the next
    change, a v2 with the holder's fiscal code, brings IO."""
    citizen = on_io(app_io)
    family = await families.new()
    v1 = {
        "event_id": str(uuid.uuid4()),
        "type": "contacts-changed",
        "version": 1,
        "occurred_at": "2026-11-25T10:00:00Z",
        "producer": "accounts",
        "data": {"account_id": str(family.account_id), "email": "v1@example.it", "phone": None},
    }
    await families.send_raw("contacts-changed", family.account_id, json.dumps(v1).encode())
    await families.consumed("notifications.update-contact-book", uuid.UUID(v1["event_id"]))
    await families.send("balance-changed", first := moved(family.account_id, 300, -150))
    assert [(r["channel"], r["recipient"]) for r in await families.settled(family.account_id, expect=1)] == [
        ("email", "v1@example.it")
    ]

    await families.change(family.account_id, email="v2@example.it", holder_tax_code=citizen)
    await families.send("balance-changed", moved(family.account_id, first.data.balance_after_cents, 500))
    await families.send("balance-changed", moved(family.account_id, 500, -50))
    rows = await families.settled(family.account_id, expect=3)
    assert sorted((r["channel"], r["rule"]) for r in rows) == [
        ("email", "in_debt"),
        ("email", "in_debt"),
        ("io", "in_debt"),
    ]
    await eventually(lambda: len(app_io.to(citizen)) == 1)
