"""The office registers who may log in: a family's guardians by fiscal code (they log in with
SPID or CIE, never with a password), and staff by email (with a password, for now)."""

from __future__ import annotations

import uuid

from accounts.domain.exceptions import DuplicateUser
from accounts.domain.users import Role, User
from accounts.handlers.ports import AccountsUnitOfWork, Passwords


async def register_guardian(
    uow: AccountsUnitOfWork, account_id: uuid.UUID, tax_code: str, is_holder: bool, email: str | None = None
) -> uuid.UUID:
    """A person (fiscal code) who may log in for the family; the holder needs no registration."""
    user = User(uuid.uuid4(), Role.PARENT, account_id, tax_code, email, is_holder=is_holder)
    async with uow:
        await uow.families.holder(account_id)  # `AccountNotFound` if there is no such account
        if await uow.families.held_by(tax_code) not in (None, account_id):
            raise DuplicateUser()  # one person, one family: they already hold another account
        await uow.users.add(user)
        await uow.commit()
    return user.user_id


async def create_staff(
    uow: AccountsUnitOfWork, passwords: Passwords, email: str, role: Role, password: str | None
) -> uuid.UUID:
    user = User(uuid.uuid4(), role, email=email.lower())
    password_hash = await passwords.hash(password) if password else None
    async with uow:
        await uow.users.add(user, password_hash)
        await uow.commit()
    return user.user_id
