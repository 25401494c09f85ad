"""Who may do what: roles and the account a parent is bound to. Pure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PARENT = "parent"
    OFFICE = "office"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    """The caller of a request, once authenticated."""

    user_id: uuid.UUID | None
    role: Role
    account_id: uuid.UUID | None = None
    name: str = ""
    is_holder: bool = True  # a guardian who is not the holder may pay, but sees no debt

    @property
    def sees_debts(self) -> bool:
        """Debts are shown only to the account's holder and to staff."""
        return self.is_staff or self.is_holder

    def visible_balance(self, balance_cents: int) -> int | None:
        """A balance is shown unless it is a debt and the caller may not see debts."""
        return balance_cents if self.sees_debts or balance_cents >= 0 else None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.OFFICE, Role.ADMIN)

    def may_see(self, account_id: uuid.UUID) -> bool:
        """Staff see every family; a parent sees only their own."""
        return self.is_staff or self.account_id == account_id
