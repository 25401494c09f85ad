"""Who may do what: roles, the account a parent is bound to, and the rules of sessions and
password logins. Pure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
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
        """The account's money (its balance, movements, statements, paid notices) is shown only to
        the holder and to staff (the letter gives the account to the holder). A guardian sees
        none of it, not even a balance in credit: hiding only a negative one would tell them when
        it is negative, and the movements would add up to it."""
        return self.is_staff or self.is_holder

    def visible_balance(self, balance_cents: int | None) -> int | None:
        """The balance for the holder and staff; None for anyone else, whatever its sign."""
        return balance_cents if self.sees_debts else None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.OFFICE, Role.ADMIN)

    def may_see(self, account_id: uuid.UUID) -> bool:
        """Staff see every family; a parent sees only their own."""
        return self.is_staff or self.account_id == account_id


@dataclass(frozen=True)
class User:
    """Someone who may log in: a parent (holder or guardian) by fiscal code, through SPID or
    CIE; a staff member by email (with a password, for now)."""

    user_id: uuid.UUID
    role: Role
    account_id: uuid.UUID | None = None
    tax_code: str | None = None
    email: str | None = None
    display_name: str | None = None  # from the identity provider's claims at the last login
    is_holder: bool = False
    active: bool = True

    @property
    def principal(self) -> Principal:
        name = self.display_name or self.email or ""
        return Principal(self.user_id, self.role, self.account_id, name, self.is_holder)


@dataclass(frozen=True)
class SessionRules:
    """A session ends at logout, `lifetime` after the login, or after `idle` without a request
    that counts as activity."""

    lifetime: timedelta
    idle: timedelta


@dataclass(frozen=True)
class LoginThrottle:
    """Password logins (staff): refused after `max_failures` failures of one email, or
    `max_failures_per_address` from one client address, within `window`."""

    max_failures: int
    max_failures_per_address: int
    window: timedelta

    @staticmethod
    def subjects(email: str, address: str) -> tuple[str, str]:
        """What failures are counted against: the email and the client address."""
        return f"email:{email.lower()}", f"address:{address}"

    def locked(self, failures_of_email: int, failures_of_address: int) -> bool:
        return failures_of_email >= self.max_failures or failures_of_address >= self.max_failures_per_address
