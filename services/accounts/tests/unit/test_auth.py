"""Sessions against in-memory ports: who gets one through SPID/CIE, the staff's throttled password
login, idle and absolute expiry, logout."""

import dataclasses
import uuid
from datetime import timedelta

import pytest

from accounts.domain.exceptions import InvalidCredentials, LoginLocked, NotEnrolled
from accounts.domain.family import Holder
from accounts.domain.identity import Identity, LoginMethod
from accounts.domain.users import LoginThrottle, Role, SessionRules, User
from accounts.handlers import auth, users
from shared.secrets import digest

from .fakes import FakeAccountsUnitOfWork, FakePasswords

RULES = SessionRules(lifetime=timedelta(hours=12), idle=timedelta(minutes=30))
THROTTLE = LoginThrottle(max_failures=3, max_failures_per_address=10, window=timedelta(minutes=15))
HOLDER = "RSSMRA80A01H501U"


def with_family() -> tuple[FakeAccountsUnitOfWork, uuid.UUID]:
    uow, account = FakeAccountsUnitOfWork(), uuid.uuid4()
    uow.families.holders[account] = Holder(HOLDER, "Mario", "Rossi")
    return uow, account


async def test_the_holder_becomes_a_user_at_the_first_login_and_only_the_digest_is_kept() -> None:
    uow, account = with_family()
    session = await auth.login_with_identity(uow, RULES, Identity(HOLDER, "Mario", "Rossi"), LoginMethod.SPID)
    who = session.principal
    assert (who.role, who.account_id, who.is_holder, who.name) == (Role.PARENT, account, True, "Mario Rossi")
    assert list(uow.sessions.sessions) == [digest(session.token)]
    assert uow.sessions.sessions[digest(session.token)].method is LoginMethod.SPID
    again = await auth.login_with_identity(uow, RULES, Identity(HOLDER, "Mario", "Rossi"), LoginMethod.CIE)
    assert again.principal.user_id == who.user_id and len(uow.users.users) == 1


async def test_a_fiscal_code_on_no_account_gets_no_session() -> None:
    uow, _ = with_family()
    with pytest.raises(NotEnrolled):
        await auth.login_with_identity(uow, RULES, Identity("VRDLCU90B02F205X", "Luca", "Verdi"), LoginMethod.SPID)
    assert uow.sessions.sessions == {} and uow.users.users == {}


async def test_a_deactivated_guardian_gets_no_session() -> None:
    uow, account = with_family()
    guardian = await users.register_guardian(uow, account, "VRDLCU90B02F205X", is_holder=False)
    uow.users.users[guardian] = dataclasses.replace(uow.users.users[guardian], active=False)
    with pytest.raises(NotEnrolled):
        await auth.login_with_identity(uow, RULES, Identity("VRDLCU90B02F205X", "Luca", "Verdi"), LoginMethod.CIE)
    assert uow.sessions.sessions == {}


async def test_a_session_is_live_until_idle_and_polling_is_not_activity() -> None:
    uow, _ = with_family()
    session = await auth.login_with_identity(uow, RULES, Identity(HOLDER, "Mario", "Rossi"), LoginMethod.SPID)
    kept = uow.sessions.sessions[digest(session.token)]
    kept.last_seen_at -= timedelta(minutes=20)
    seen = kept.last_seen_at
    assert await auth.authenticate(uow, session.token, RULES, touch=False) == session.principal
    assert kept.last_seen_at == seen
    kept.last_seen_at -= timedelta(minutes=11)
    assert await auth.authenticate(uow, session.token, RULES) is None


async def test_logout_ends_the_session() -> None:
    uow, _ = with_family()
    session = await auth.login_with_identity(uow, RULES, Identity(HOLDER, "Mario", "Rossi"), LoginMethod.SPID)
    await auth.logout(uow, session.token)
    assert await auth.authenticate(uow, session.token, RULES) is None


async def staff(uow: FakeAccountsUnitOfWork) -> User:
    user_id = await users.create_staff(uow, FakePasswords(), "Operatore@Comune.it", Role.OFFICE, "la-password")
    return uow.users.users[user_id]


async def password_login(uow: FakeAccountsUnitOfWork, password: str, address: str) -> auth.Session:
    attempt = auth.PasswordLogin("operatore@comune.it", password, address)
    return await auth.login(uow, FakePasswords(), THROTTLE, RULES, attempt)


async def test_staff_log_in_with_their_password_and_failures_lock_the_email() -> None:
    uow, _ = with_family()
    member = await staff(uow)
    ok = await password_login(uow, "la-password", "a")
    assert ok.principal.user_id == member.user_id and ok.principal.role is Role.OFFICE
    for address in ("b", "c", "d"):
        with pytest.raises(InvalidCredentials):
            await password_login(uow, "sbagliata", address)
    with pytest.raises(LoginLocked):
        await password_login(uow, "la-password", "e")  # even the right password, from elsewhere
    assert len(uow.login_failures.failures) == 6  # both subjects of each failure, kept although refused
