"""Keeps the contact book, the projection of `contacts-changed`, with the family's opt-outs.

Idempotency: inbox (rule `update-contact-book` in `notifications.consumers`); changes of one account arrive
in order (keyed by account) and the last one wins. Emits nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import contact
from shared.db import SqlUnitOfWork
from shared.events import ContactsChanged

_FIELDS = ("email", "phone", "email_opt_out", "sms_opt_out", "locale")


async def update_contact_book(uow: SqlUnitOfWork, changes: Sequence[ContactsChanged]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    latest = {c.account_id: c for c in changes}
    statement = insert(contact).values([c.model_dump() for c in latest.values()])
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=[contact.c.account_id],
            set_={name: statement.excluded[name] for name in _FIELDS} | {"updated_at": func.now()},
        )
    )
