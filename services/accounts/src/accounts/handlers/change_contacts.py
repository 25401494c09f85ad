"""A family's contacts and its refusals (diniego) per channel: set by the office, or by the
holder from the portal (a guardian may not: they are the holder's).

Emits `contacts-changed`, through the outbox, in the transaction that makes the change.
"""

from __future__ import annotations

import uuid

from accounts.domain.exceptions import AccountNotFound, HolderOnly
from accounts.domain.family import Contacts, contacts_changed
from accounts.domain.users import Principal
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.queries import holder_only


async def change_contacts(uow: AccountsUnitOfWork, account_id: uuid.UUID, contacts: Contacts) -> None:
    async with uow:
        holder_tax_code = await uow.families.change_contacts(account_id, contacts)
        if holder_tax_code is None:
            raise AccountNotFound(account_id)
        await uow.publish(contacts_changed(account_id, holder_tax_code, contacts))
        await uow.commit()


async def change_own_contacts(
    uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, contacts: Contacts
) -> None:
    holder_only(who, HolderOnly.CHANGED)
    await change_contacts(uow, account_id, contacts)
