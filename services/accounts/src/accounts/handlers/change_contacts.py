"""A family's details: the office edits the holder's name, contacts and written refusals
(diniego) per channel and the IBAN for refunds; the holder changes their own contacts and refusals
from the portal (a guardian may not: they are the holder's). The holder's fiscal code never changes
(it is the account).

Emits `contacts-changed`, through the outbox, in the transaction that makes the change, with the
audit entry (before and after).
"""

from __future__ import annotations

import dataclasses
import uuid

from accounts.domain.audit import Action, entry
from accounts.domain.exceptions import HolderOnly
from accounts.domain.family import Contacts, FamilyDetails, contacts_changed
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.queries import holder_only


async def change_contacts(uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, contacts: Contacts) -> None:
    require(who, Permission.OFFICE)
    await _new_contacts(uow, who, account_id, contacts)


async def change_own_contacts(
    uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, contacts: Contacts
) -> None:
    holder_only(who, HolderOnly.CHANGED)
    await _new_contacts(uow, who, account_id, contacts)


async def _new_contacts(uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, contacts: Contacts) -> None:
    async with uow:
        before = await uow.families.details(account_id)
        await _save(uow, who, account_id, before, dataclasses.replace(before, contacts=contacts))


async def edit_family(uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, changed: FamilyDetails) -> None:
    """`changed.holder.tax_code` is ignored: the account's holder stays who they are."""
    require(who, Permission.OFFICE)
    async with uow:
        before = await uow.families.details(account_id)
        holder = dataclasses.replace(changed.holder, tax_code=before.holder.tax_code)
        await _save(uow, who, account_id, before, dataclasses.replace(changed, holder=holder))


async def _save(
    uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, before: FamilyDetails, after: FamilyDetails
) -> None:
    await uow.families.edit(account_id, after)
    if after.contacts != before.contacts:
        await uow.publish(contacts_changed(account_id, before.holder.tax_code, after.contacts))
    action = (
        Action.CONTACTS_CHANGED if after.holder == before.holder and after.iban == before.iban else Action.FAMILY_EDITED
    )
    await uow.audit.record(
        entry(who, action, account_id, account_id=account_id, before=before.audited(), after=after.audited())
    )
    await uow.commit()


async def family_details(uow: AccountsUnitOfWork, account_id: uuid.UUID) -> FamilyDetails:
    async with uow:
        return await uow.families.details(account_id)
