"""Who may do what: roles and their permissions, the account a parent is bound to, and the
rules of sessions and password logins. Pure.

Staff roles (glossary): operatore (`operator`, the day-to-day work), responsabile (`manager`,
who also makes the money decisions: approving large adjustments, tariffs, refunds, the year's
closing), amministratore (`admin`, who also manages staff users). The office's static token is
`automation`: a program, with the operatore's and responsabile's work but never a second
person's approval.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from accounts.domain.exceptions import NotAllowed
from shared.acting import AUTOMATION, Person


class Role(StrEnum):
    PARENT = "parent"
    OPERATOR = "operator"
    MANAGER = "manager"
    ADMIN = "admin"
    AUTOMATION = AUTOMATION


class Permission(StrEnum):
    OFFICE = "office"  # families, vouchers, adjustments within the threshold, messages, reading everything
    MONEY = "money"  # approve adjustments above the threshold, tariffs, refunds, closing a school year
    STAFF = "staff"  # staff users and their roles


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PARENT: frozenset(),
    Role.OPERATOR: frozenset({Permission.OFFICE}),
    Role.MANAGER: frozenset({Permission.OFFICE, Permission.MONEY}),
    Role.ADMIN: frozenset({Permission.OFFICE, Permission.STAFF}),
    Role.AUTOMATION: frozenset({Permission.OFFICE, Permission.MONEY}),
}
STAFF_ROLES = (Role.OPERATOR, Role.MANAGER, Role.ADMIN)  # people who may be registered as staff
OFFICE_ROLES = frozenset(role for role, granted in PERMISSIONS.items() if granted)  # who sees every family


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
        return self.role in OFFICE_ROLES

    @property
    def is_person(self) -> bool:
        """A person, not the office's automation: only a person approves what another asked."""
        return self.user_id is not None

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    @property
    def person(self) -> Person:
        """Who the gateway says it acts for, when it calls another service (`shared.acting`)."""
        account = str(self.account_id) if self.account_id else None
        return Person(str(self.user_id) if self.user_id else AUTOMATION, self.role.value, account)

    def may_see(self, account_id: uuid.UUID) -> bool:
        """Staff see every family; a parent sees only their own."""
        return self.is_staff or self.account_id == account_id


def require(who: Principal, permission: Permission) -> None:
    """`NotAllowed` unless the caller's role carries `permission`."""
    if not who.may(permission):
        raise NotAllowed(REFUSALS[permission])


REFUSALS = {
    Permission.OFFICE: "Operazione riservata all'Ufficio Scuola.",
    Permission.MONEY: "Operazione riservata a un responsabile dell'Ufficio Scuola.",
    Permission.STAFF: "Operazione riservata agli amministratori.",
}


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

    def check(self, digest: str, now: datetime, touch: bool = True) -> SessionCheck:
        return SessionCheck(digest, now, now - self.idle, touch)


@dataclass(frozen=True)
class SessionCheck:
    """A session asked about at a request: live if not ended, not expired at `now` and used after
    `idle_since`; `touch`: the request counts as activity (an open page polling does not)."""

    digest: str  # of its token
    now: datetime
    idle_since: datetime
    touch: bool = True


@dataclass(frozen=True)
class LoginThrottle:
    """Password logins (staff): refused after `max_failures` failures of one email, or
    `max_failures_per_address` from one client address, within `window`. The same shape limits
    password-reset requests (`kind="reset"`), which count every request, not only failures."""

    max_failures: int
    max_failures_per_address: int
    window: timedelta
    kind: str = "login"

    def subjects(self, email: str, address: str) -> tuple[str, str]:
        """What attempts are counted against: the email and the client address."""
        prefix = "" if self.kind == "login" else f"{self.kind}:"
        return f"{prefix}email:{email.lower()}", f"{prefix}address:{address}"

    def locked(self, failures_of_email: int, failures_of_address: int) -> bool:
        return failures_of_email >= self.max_failures or failures_of_address >= self.max_failures_per_address
