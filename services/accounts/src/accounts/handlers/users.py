"""The office registers who may log in: a family's guardians by fiscal code (they log in with
SPID or CIE, never with a password), and (administrators) staff by fiscal code, with an email
of their own for the optional password login. Every change is in the audit log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from accounts.domain.audit import Action, entry
from accounts.domain.exceptions import DuplicateUser, NotAllowed
from accounts.domain.users import STAFF_ROLES, Permission, Principal, Role, User, require
from accounts.handlers.ports import AccountsUnitOfWork, Passwords


@dataclass(frozen=True)
class NewStaff:
    tax_code: str | None
    email: str | None
    display_name: str | None
    role: Role
    password: str | None = None


async def register_guardian(
    uow: AccountsUnitOfWork,
    who: Principal,
    account_id: uuid.UUID,
    tax_code: str,
    is_holder: bool,
    email: str | None = None,
) -> uuid.UUID:
    """A person (fiscal code) who may log in for the family; the holder needs no registration."""
    require(who, Permission.OFFICE)
    user = User(uuid.uuid4(), Role.PARENT, account_id, tax_code, email, is_holder=is_holder)
    async with uow:
        await uow.families.holder(account_id)  # `AccountNotFound` if there is no such account
        if await uow.families.held_by(tax_code) not in (None, account_id):
            raise DuplicateUser()  # one person, one family: they already hold another account
        if not await uow.users.reactivate(user):
            await uow.users.add(user)
        found = await uow.users.of_tax_code(tax_code)
        assert found is not None
        after = {"codice_fiscale": tax_code, "titolare": is_holder}
        await uow.audit.record(entry(who, Action.GUARDIAN_ADDED, found.user_id, account_id=account_id, after=after))
        await uow.commit()
    return found.user_id


async def remove_guardian(uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """The guardian may no longer log in for the family; their sessions end now."""
    require(who, Permission.OFFICE)
    async with uow:
        found = await uow.users.get(user_id)
        if found is None or found.account_id != account_id or not found.active:
            raise NotAllowed("Questa persona non è tra i genitori registrati della famiglia.")
        await uow.users.change(user_id, Role.PARENT, active=False)
        await uow.sessions.end_all(user_id, datetime.now(UTC))
        before = {"codice_fiscale": found.tax_code, "titolare": found.is_holder}
        await uow.audit.record(entry(who, Action.GUARDIAN_REMOVED, user_id, account_id=account_id, before=before))
        await uow.commit()


async def create_staff(uow: AccountsUnitOfWork, passwords: Passwords, who: Principal, new: NewStaff) -> uuid.UUID:
    require(who, Permission.STAFF)
    if new.role not in STAFF_ROLES:
        raise NotAllowed("Il personale è operatore, responsabile o amministratore.")
    email = new.email.lower() if new.email else None
    user = User(uuid.uuid4(), new.role, tax_code=new.tax_code, email=email, display_name=new.display_name)
    password_hash = await passwords.hash(new.password) if new.password else None
    async with uow:
        await uow.users.add(user, password_hash)
        after = _staff_view(user) | {"password": password_hash is not None}
        await uow.audit.record(entry(who, Action.STAFF_ADDED, user.user_id, after=after))
        await uow.commit()
    return user.user_id


async def change_staff(uow: AccountsUnitOfWork, who: Principal, user_id: uuid.UUID, role: Role, active: bool) -> None:
    """Another role, or no access at all (`active` false: their sessions end now)."""
    require(who, Permission.STAFF)
    if role not in STAFF_ROLES:
        raise NotAllowed("Il personale è operatore, responsabile o amministratore.")
    if user_id == who.user_id and (role is not Role.ADMIN or not active):
        raise NotAllowed("Un amministratore non può togliersi il ruolo da solo: lo fa un altro amministratore.")
    async with uow:
        found = await uow.users.get(user_id)
        if found is None or found.role is Role.PARENT:
            raise NotAllowed("Questa persona non fa parte del personale.")
        await uow.users.change(user_id, role, active)
        if not active:
            await uow.sessions.end_all(user_id, datetime.now(UTC))
        after = {"ruolo": role.value, "attivo": active}
        before = {"ruolo": found.role.value, "attivo": found.active}
        await uow.audit.record(entry(who, Action.STAFF_CHANGED, user_id, before=before, after=after))
        await uow.commit()


async def staff(uow: AccountsUnitOfWork, who: Principal) -> list[User]:
    require(who, Permission.STAFF)
    async with uow:
        return await uow.users.staff()


async def staff_page(
    uow: AccountsUnitOfWork, who: Principal, query: str, limit: int, offset: int
) -> tuple[int, list[User]]:
    """The Utenti screen's page: how many staff members match, and those of the page."""
    require(who, Permission.STAFF)
    async with uow:
        return await uow.users.staff_matching(query.strip(), limit, offset)


async def guardians(uow: AccountsUnitOfWork, account_id: uuid.UUID) -> list[User]:
    async with uow:
        return await uow.users.guardians(account_id)


def _staff_view(user: User) -> dict[str, object]:
    return {"nome": user.display_name, "codice_fiscale": user.tax_code, "email": user.email, "ruolo": user.role.value}
