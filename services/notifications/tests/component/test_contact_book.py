import uuid

import httpx
from sqlalchemy import select

from notifications.adapters.tables import contact
from notifications.config import NotificationsSettings
from shared.db import make_engine
from shared.events import ContactsChanged, Envelope
from testkit.kafka import eventually, publish


async def test_the_last_contacts_change_wins_and_redelivery_is_harmless(
    notifications: httpx.AsyncClient,
    notifications_settings: NotificationsSettings,
    kafka: str,
    topic_prefix: str,
) -> None:
    account = uuid.uuid4()
    first = Envelope.wrap(
        ContactsChanged(account_id=account, holder_tax_code=None, email="a@example.it", phone=None), "accounts"
    )
    second = Envelope.wrap(
        ContactsChanged(
            account_id=account, holder_tax_code=None, email="b@example.it", phone="+393331234567", sms_opt_out=True
        ),
        "accounts",
    )
    # A marker for another family on the same partition, after the redelivered first change:
    # once the marker is stored, the redelivery was consumed too (one partition, in order).
    marker = Envelope.wrap(
        ContactsChanged(account_id=uuid.uuid4(), holder_tax_code=None, email="m@example.it", phone=None), "accounts"
    )
    for envelope in (first, second, first, marker):
        await publish(kafka, f"{topic_prefix}contacts-changed", envelope.to_json(), key=str(account))
    engine = make_engine(notifications_settings.database_url)
    try:

        async def stored() -> tuple[str, bool] | None:
            async with engine.connect() as conn:
                if not (
                    await conn.execute(select(contact.c.email).where(contact.c.account_id == marker.data.account_id))
                ).first():
                    return None
                row = (
                    await conn.execute(
                        select(contact.c.email, contact.c.sms_opt_out).where(contact.c.account_id == account)
                    )
                ).first()
            return (row.email, row.sms_opt_out)

        assert await eventually(stored) == ("b@example.it", True)
        assert (await notifications.get("/ready")).json()["ready"] is True
    finally:
        await engine.dispose()
