"""The office sets a family's contacts and its written refusals (diniego) per channel.

Emits `contacts-changed`, through the outbox, in the transaction that makes the change.
"""

from __future__ import annotations

import uuid

from accounts.domain.exceptions import AccountNotFound
from accounts.domain.family import Contacts, contacts_changed
from accounts.handlers.ports import AccountsUnitOfWork


async def change_contacts(uow: AccountsUnitOfWork, account_id: uuid.UUID, contacts: Contacts) -> None:
    async with uow:
        holder_tax_code = await uow.families.change_contacts(account_id, contacts)
        if holder_tax_code is None:
            raise AccountNotFound(account_id)
        await uow.publish(contacts_changed(account_id, holder_tax_code, contacts))
        await uow.commit()
