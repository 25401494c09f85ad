"""Keeps the contact book, the projection of `contacts-changed`, with the family's opt-outs.

Idempotency: inbox (consumer `notifications.update-contact-book`); changes of one account arrive
in order (keyed by account) and the last one wins. Emits nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import contact
from shared.db import UnitOfWork
from shared.events import ContactsChanged, Envelope

CONSUMER = "notifications.update-contact-book"
_FIELDS = ("email", "phone", "email_opt_out", "sms_opt_out", "locale")


async def update_contact_book(
    envelopes: Sequence[Envelope[ContactsChanged]], unit_of_work: Callable[[], UnitOfWork]
) -> None:
    async with unit_of_work() as uow:
        fresh = await uow.claim(CONSUMER, [e.event_id for e in envelopes])
        latest = {e.data.account_id: e.data for e in envelopes if e.event_id in fresh}
        if latest:
            statement = insert(contact).values([c.model_dump() for c in latest.values()])
            await uow.connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[contact.c.account_id],
                    set_={name: statement.excluded[name] for name in _FIELDS} | {"updated_at": func.now()},
                )
            )
        await uow.commit()
