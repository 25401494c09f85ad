"""Who may log in, on PostgreSQL: parents by fiscal code, staff by email (and password hash)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import app_user
from accounts.domain.exceptions import DuplicateUser
from accounts.domain.users import Role, User
from accounts.handlers.ports import PasswordUser

_STAFF = app_user.c.role != Role.PARENT.value
_BY_NAME = (app_user.c.display_name, app_user.c.email, app_user.c.id)
_USER = (
    app_user.c.id,
    app_user.c.role,
    app_user.c.account_id,
    app_user.c.tax_code,
    app_user.c.email,
    app_user.c.display_name,
    app_user.c.is_holder,
    app_user.c.active,
)


# Built once: SQLAlchemy computes a statement's cache key once per statement object, and this one
# runs on every authenticated request.
_ACTIVE = select(*_USER).where(app_user.c.id == bindparam("user_id"), app_user.c.active)


class SqlUsers:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, user: User, password_hash: str | None = None) -> None:
        try:
            await self._conn.execute(app_user.insert().values(**_values(user), password_hash=password_hash))
        except IntegrityError as error:
            raise DuplicateUser() from error

    async def of_tax_code(self, tax_code: str) -> User | None:
        return await self._one(app_user.c.tax_code == tax_code)

    async def add_holder(self, account_id: uuid.UUID, tax_code: str) -> User:
        holder = User(uuid.uuid4(), Role.PARENT, account_id, tax_code, is_holder=True)
        await self._conn.execute(
            insert(app_user).values(**_values(holder)).on_conflict_do_nothing(index_elements=[app_user.c.tax_code])
        )
        found = await self.of_tax_code(tax_code)
        assert found is not None  # inserted now, or by the concurrent login that won
        return found

    async def with_password(self, email: str) -> PasswordUser | None:
        row = (
            await self._conn.execute(
                select(*_USER, app_user.c.password_hash).where(
                    app_user.c.email == email, app_user.c.active, app_user.c.password_hash.is_not(None)
                )
            )
        ).first()
        return PasswordUser(_user(row), row.password_hash) if row else None

    async def active(self, user_id: uuid.UUID) -> User | None:
        row = (await self._conn.execute(_ACTIVE, {"user_id": user_id})).first()
        return _user(row) if row else None

    async def rename(self, user_id: uuid.UUID, display_name: str | None) -> None:
        await self._conn.execute(update(app_user).where(app_user.c.id == user_id).values(display_name=display_name))

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self._one(app_user.c.id == user_id)

    async def staff(self) -> list[User]:
        rows = await self._conn.execute(select(*_USER).where(_STAFF).order_by(*_BY_NAME))
        return [_user(row) for row in rows]

    async def staff_matching(self, query: str, limit: int, offset: int) -> tuple[int, list[User]]:
        matching = [_STAFF] + (
            [
                or_(
                    app_user.c.display_name.icontains(query, autoescape=True),
                    app_user.c.tax_code.icontains(query, autoescape=True),
                )
            ]
            if query
            else []
        )
        total = await self._conn.scalar(select(func.count()).select_from(app_user).where(*matching))
        rows = await self._conn.execute(select(*_USER).where(*matching).order_by(*_BY_NAME).limit(limit).offset(offset))
        return int(total or 0), [_user(row) for row in rows]

    async def guardians(self, account_id: uuid.UUID) -> list[User]:
        rows = await self._conn.execute(
            select(*_USER)
            .where(app_user.c.account_id == account_id, app_user.c.active)
            .order_by(app_user.c.is_holder.desc(), app_user.c.created_at)
        )
        return [_user(row) for row in rows]

    async def change(self, user_id: uuid.UUID, role: Role, active: bool) -> None:
        await self._conn.execute(
            update(app_user).where(app_user.c.id == user_id).values(role=role.value, active=active)
        )

    async def reactivate(self, user: User) -> bool:
        done = await self._conn.execute(
            update(app_user)
            .where(
                app_user.c.tax_code == user.tax_code,
                app_user.c.account_id == user.account_id,
                app_user.c.role == user.role.value,
                ~app_user.c.active,
            )
            .values(active=True, is_holder=user.is_holder, email=user.email)
            .returning(app_user.c.id)
        )
        return done.first() is not None

    async def staff_with_email(self, email: str) -> User | None:
        return await self._one(app_user.c.email == email, app_user.c.role != Role.PARENT.value, app_user.c.active)

    async def set_password(self, user_id: uuid.UUID, password_hash: str) -> None:
        await self._conn.execute(update(app_user).where(app_user.c.id == user_id).values(password_hash=password_hash))

    async def _one(self, *where: Any) -> User | None:
        row = (await self._conn.execute(select(*_USER).where(*where))).first()
        return _user(row) if row else None


def _user(row: Any) -> User:
    return User(
        row.id, Role(row.role), row.account_id, row.tax_code, row.email, row.display_name, row.is_holder, row.active
    )


def _values(user: User) -> dict[str, object]:
    return {
        "id": user.user_id,
        "role": user.role.value,
        "account_id": user.account_id,
        "tax_code": user.tax_code,
        "email": user.email,
        "display_name": user.display_name,
        "is_holder": user.is_holder,
        "active": user.active,
    }
