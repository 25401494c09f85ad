"""The office reads a family's delivery log (through the gateway) with the service credential."""

import uuid
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from notifications.adapters.tables import delivery

from ..conftest import Clock, Families, Mailbox
from ..events import moved


async def test_the_delivery_log_of_a_family_with_masked_addresses(
    families: Families, notifications: httpx.AsyncClient
) -> None:
    family = await families.new(sms_opt_out=True)
    await families.send("balance-changed", moved(family.account_id, 100, -350))
    await families.settled(family.account_id, expect=2)

    response = await notifications.get(f"/internal/accounts/{family.account_id}/deliveries")
    assert response.status_code == 200
    log = sorted(response.json(), key=lambda d: d["channel"])
    assert [(d["rule"], d["channel"], d["state"], d["recipient"]) for d in log] == [
        ("in_debt", "email", "sent", f"f***@{family.email.split('@')[1]}"),
        ("in_debt", "sms", "suppressed_opt_out", None),
    ]
    assert family.email not in response.text and family.phone not in response.text
    other = await notifications.get(f"/internal/accounts/{uuid.uuid4()}/deliveries")
    assert other.json() == []


async def test_the_delivery_log_needs_the_service_credential(notifications: httpx.AsyncClient) -> None:
    for headers in ({"Authorization": "Bearer wrong"}, {"Authorization": ""}):
        response = await notifications.get(f"/internal/accounts/{uuid.uuid4()}/deliveries", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "non_autenticato"


async def test_a_message_interrupted_while_sending_is_never_sent_again(
    families: Families, mailbox: Mailbox, engine: AsyncEngine, clock: Clock
) -> None:
    """At most once: a row left `sending` by a crashed process is failed, not resent."""
    family = await families.new()
    async with engine.begin() as conn:
        await conn.execute(
            delivery.insert().values(
                account_id=family.account_id,
                rule="in_debt",
                cause_id=str(uuid.uuid4()),
                channel="email",
                params={"balance_cents": -450},
                recipient=family.email,
                state="sending",
                attempts=1,
                sending_at=clock() - timedelta(hours=1),
            )
        )

    [row] = await families.settled(family.account_id, expect=1)
    assert (row["state"], row["attempts"]) == ("failed", 1)
    assert "esito sconosciuto" in row["last_error"]
    assert mailbox.to(family.email) == []
