"""Sessions: opened by SPID/CIE (parents, through the identity provider) or by a password (staff).

- A session is a random token the browser keeps in an HttpOnly cookie, or an API client as a
  bearer token; only its SHA-256 digest is stored. It ends at logout, or as `SessionRules` say
  (an absolute lifetime from the login, an idle time without a request that counts as activity).
- SPID/CIE: the person is the fiscal code. A user with that fiscal code gets a session; the
  holder of an account, the first time, becomes a user of it; anyone else is not enrolled.
- Password logins (staff only, where the setting turns them on: parents have no password) are
  throttled per email and per client address (`LoginThrottle`); a failure is recorded even
  though the login is refused. Concurrent guesses on one email or address queue on a lock
  (`LoginFailures.lock`), so each reads the failures of those before it: 50 parallel guesses
  cannot pass a limit of 5.
- A staff password reset goes to the staff member's own email, its link sealed in the event
  (`domain.password_reset`); requests are throttled the same way, counting every request.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from accounts.domain.audit import Action, entry
from accounts.domain.exceptions import (
    InvalidCredentials,
    LoginLocked,
    NotEnrolled,
    ResetLinkInvalid,
    TooManyRequests,
)
from accounts.domain.identity import Identity, LoginMethod
from accounts.domain.password_reset import LIFETIME, ResetLinks
from accounts.domain.users import LoginThrottle, Principal, Role, SessionCheck, SessionRules, User
from accounts.handlers.ports import AccountsUnitOfWork, Passwords
from shared.secrets import digest, new_secret


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime
    principal: Principal


@dataclass(frozen=True)
class PasswordLogin:
    email: str
    password: str
    address: str  # the client's, for the throttle


def _now() -> datetime:
    return datetime.now(UTC)


async def login_with_identity(
    uow: AccountsUnitOfWork, rules: SessionRules, identity: Identity, method: LoginMethod
) -> Session:
    """The identity provider vouched for `identity`: a session, or `NotEnrolled` (and none)."""
    async with uow:
        user = await _user_of(uow, identity.tax_code)
        if user is None or not user.active:
            raise NotEnrolled()
        named = identity.display_name or None
        await uow.users.rename(user.user_id, named)
        session = await _open_session(uow, rules, dataclasses.replace(user, display_name=named), method)
        await uow.commit()
    return session


async def _user_of(uow: AccountsUnitOfWork, tax_code: str) -> User | None:
    found = await uow.users.of_tax_code(tax_code)
    if found is not None:
        return found
    account_id = await uow.families.held_by(tax_code)
    return None if account_id is None else await uow.users.add_holder(account_id, tax_code)


async def login(
    uow: AccountsUnitOfWork, passwords: Passwords, throttle: LoginThrottle, rules: SessionRules, attempt: PasswordLogin
) -> Session:
    """A staff member's password login."""
    by_email, by_address = throttle.subjects(attempt.email, attempt.address)
    async with uow:
        await uow.login_failures.lock([by_email, by_address])
        failures = await uow.login_failures.counts([by_email, by_address], _now() - throttle.window)
        if throttle.locked(failures.get(by_email, 0), failures.get(by_address, 0)):
            raise LoginLocked(throttle.window // timedelta(minutes=1))
        found = await uow.users.with_password(attempt.email.lower())
        if found is not None and found.user.role is Role.PARENT:
            found = None  # never: parents have no password (the table refuses one)
        # An unknown email costs as long as a wrong password (a dummy hash is verified).
        if not await passwords.verify(attempt.password, found.password_hash if found else None) or found is None:
            await uow.login_failures.record([by_email, by_address])
            await uow.commit()  # the failure counts even though the login is refused
            raise InvalidCredentials()
        await uow.login_failures.forget(by_email)
        session = await _open_session(uow, rules, found.user, LoginMethod.PASSWORD)
        await uow.commit()
    return session


async def _open_session(uow: AccountsUnitOfWork, rules: SessionRules, user: User, method: LoginMethod) -> Session:
    token = new_secret()
    expires_at = _now() + rules.lifetime
    await uow.sessions.open(digest(token), user.user_id, expires_at, method)
    return Session(token, expires_at, user.principal)


async def authenticate(
    uow: AccountsUnitOfWork, token: str, rules: SessionRules, touch: bool = True
) -> Principal | None:
    """The session's user, if the session is live; `touch` counts the request as activity
    (an open page asking for updates does not, or a session would never go idle)."""
    return await authenticated(uow, session_check(token, rules, touch))


async def authenticated(uow: AccountsUnitOfWork, check: SessionCheck) -> Principal | None:
    """`authenticate`, for a session check already made (`session_check`)."""
    async with uow.reading():  # the touch is one statement: it commits by itself
        user = await uow.sessions.live_user(check)
    return user.principal if user else None


def session_check(token: str, rules: SessionRules, touch: bool = True) -> SessionCheck:
    """What checking the session of `token` now asks (`authenticate`, or a hot read's own
    statement: `queries.account_for`)."""
    return rules.check(digest(token), _now(), touch)


async def logout(uow: AccountsUnitOfWork, token: str) -> None:
    async with uow:
        await uow.sessions.end(digest(token), _now())
        await uow.commit()


@dataclass(frozen=True)
class ResetRequest:
    email: str
    address: str  # the client's, for the throttle


async def request_password_reset(
    uow: AccountsUnitOfWork, throttle: LoginThrottle, links: ResetLinks, asked: ResetRequest
) -> None:
    """Sends a reset link to the staff member with this email, if there is one; the caller learns
    nothing either way (no way to test which addresses exist), but too many requests are refused."""
    by_email, by_address = throttle.subjects(asked.email, asked.address)
    async with uow:
        await uow.login_failures.lock([by_email, by_address])
        made = await uow.login_failures.counts([by_email, by_address], _now() - throttle.window)
        if throttle.locked(made.get(by_email, 0), made.get(by_address, 0)):
            raise TooManyRequests(throttle.window // timedelta(minutes=1))
        await uow.login_failures.record([by_email, by_address])
        user = await uow.users.staff_with_email(asked.email.lower())
        if user is not None and user.email:
            token = new_secret()
            await uow.password_resets.add(digest(token), user.user_id, _now() + LIFETIME)
            await uow.publish(links.message(user.email, token))
        await uow.commit()


async def reset_password(uow: AccountsUnitOfWork, passwords: Passwords, token: str, new_password: str) -> None:
    """The link's token, once: a new password, and every session of the person ends."""
    async with uow:
        user_id = await uow.password_resets.redeem(digest(token), _now())
        user = await uow.users.get(user_id) if user_id is not None else None
        if user is None or not user.active or user.role is Role.PARENT:
            raise ResetLinkInvalid()
        await uow.users.set_password(user.user_id, await passwords.hash(new_password))
        await uow.sessions.end_all(user.user_id, _now())
        await uow.audit.record(entry(user.principal, Action.PASSWORD_RESET, user.user_id))
        await uow.commit()
