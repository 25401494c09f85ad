"""The office registers who may log in: a family's guardians by fiscal code (they log in with
SPID or CIE, never with a password), and staff by email (with a password, for now)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accounts.adapters import secrets
from accounts.adapters.tables import account, app_user
from accounts.domain.exceptions import AccountNotFound, DuplicateUser
from accounts.domain.users import Role
from shared.db import UnitOfWork


async def register_guardian(
    uow: UnitOfWork, account_id: uuid.UUID, tax_code: str, is_holder: bool, email: str | None = None
) -> uuid.UUID:
    """A person (fiscal code) who may log in for the family; the holder needs no registration."""
    conn = uow.connection
    if await conn.scalar(select(account.c.id).where(account.c.id == account_id)) is None:
        raise AccountNotFound(account_id)
    holder_elsewhere = await conn.scalar(
        select(account.c.id).where(account.c.holder_tax_code == tax_code, account.c.id != account_id)
    )
    if holder_elsewhere is not None:
        raise DuplicateUser()  # one person, one family: they already hold another account
    values = {"account_id": account_id, "tax_code": tax_code, "is_holder": is_holder, "email": email}
    return await _insert(uow, Role.PARENT, values)


async def create_staff(uow: UnitOfWork, email: str, role: Role, password: str | None) -> uuid.UUID:
    password_hash = await secrets.hash_password(password) if password else None
    return await _insert(uow, role, {"email": email.lower(), "password_hash": password_hash})


async def _insert(uow: UnitOfWork, role: Role, values: dict[str, object]) -> uuid.UUID:
    user_id = uuid.uuid4()
    try:
        await uow.connection.execute(app_user.insert().values(id=user_id, role=role.value, **values))
    except IntegrityError as error:
        raise DuplicateUser() from error
    await uow.commit()
    return user_id
