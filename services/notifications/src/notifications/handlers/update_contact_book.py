"""Keeps the contact book, the projection of `contacts-changed`, with the family's opt-outs.

Idempotency: inbox (rule `update-contact-book` in `notifications.consumers`); changes of one account arrive
in order (keyed by account) and the last one wins. Emits nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from notifications.handlers.ports import NotificationsUnitOfWork
from shared.events import ContactsChanged


async def update_contact_book(uow: NotificationsUnitOfWork, changes: Sequence[ContactsChanged]) -> None:
    """Runs in the caller's transaction (the consumer wrapper commits it)."""
    latest = {c.account_id: c for c in changes}
    await uow.contacts.save(list(latest.values()))
