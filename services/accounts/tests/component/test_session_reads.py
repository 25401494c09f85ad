"""The API's hot reads (`/me`, an account, its movements) check a session in the statement that
reads the account (issue 12: one round trip, not two). Whatever ends a session ends these reads;
they count as activity as any request does; they read only what the session's user may see.

On the real service (bearer tokens: the fast lane, as API clients call it) and the real database.
"""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.adapters.tables import app_user, user_session
from accounts.config import AccountsSettings
from accounts.domain.users import Role
from accounts.handlers.auth import session_check
from accounts.handlers.read_models import MovementFilter
from shared import secrets
from testkit.oidc import ProviderProcess

from .staff import logged_in_staff
from .test_auth import new_family, new_parent, portal

READS = ("/me", "/accounts/{account}", "/accounts/{account}/movements")


async def holder_of_a_family(office: httpx.AsyncClient, provider: ProviderProcess) -> tuple[str, str]:
    """A family with a movement, and its holder's session token."""
    account = await new_family(office)
    booked = await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": 700, "reason": "buoni"})
    assert booked.status_code == 201, booked.text
    _, headers = await new_parent(office, provider, account)
    return account, headers["Authorization"].split()[1]


async def change_session(engine: AsyncEngine, token: str, **values: object) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(user_session).where(user_session.c.token_digest == secrets.digest(token)).values(**values)
        )


async def last_seen(engine: AsyncEngine, token: str) -> datetime:
    async with engine.connect() as conn:
        found = await conn.scalar(
            select(user_session.c.last_seen_at).where(user_session.c.token_digest == secrets.digest(token))
        )
    assert found is not None
    return found


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("read", READS)
async def test_whatever_ends_a_session_ends_the_hot_reads(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine, read: str
) -> None:
    now = datetime.now(UTC)
    endings = {
        "logged out": {"revoked_at": now},
        "past its lifetime": {"expires_at": now},
        "idle for 31 minutes": {"last_seen_at": now - timedelta(minutes=31)},
    }
    for ending, values in endings.items():
        account, token = await holder_of_a_family(office, identity_provider)
        path = read.format(account=account)
        assert (await office.get(path, headers=bearer(token))).status_code == 200, (ending, path)
        await change_session(engine, token, **values)
        refused = await office.get(path, headers=bearer(token))
        assert refused.status_code == 401 and refused.json()["code"] == "non_autenticato", (ending, path)
    account, token = await holder_of_a_family(office, identity_provider)
    async with engine.begin() as conn:  # the office deactivates the user
        await conn.execute(update(app_user).where(app_user.c.account_id == uuid.UUID(account)).values(active=False))
    assert (await office.get(read.format(account=account), headers=bearer(token))).status_code == 401
    unknown = await office.get(read.format(account=account), headers=bearer(secrets.new_secret()))
    assert unknown.status_code == 401


@pytest.mark.parametrize("read", READS)
async def test_a_hot_read_counts_as_activity_but_writes_at_most_once_a_minute(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine, read: str
) -> None:
    account, token = await holder_of_a_family(office, identity_provider)
    path = read.format(account=account)
    a_while_ago = datetime.now(UTC) - timedelta(minutes=5)
    await change_session(engine, token, last_seen_at=a_while_ago)
    asked_at = datetime.now(UTC)
    assert (await office.get(path, headers=bearer(token))).status_code == 200
    touched = await last_seen(engine, token)
    assert touched >= asked_at - timedelta(seconds=1)  # the request's time, written
    assert (await office.get(path, headers=bearer(token))).status_code == 200
    assert await last_seen(engine, token) == touched  # seconds later: not written again


async def test_a_staff_session_reads_any_account_and_has_none_of_its_own(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    account, _ = await holder_of_a_family(office, identity_provider)
    async with portal(office) as browser:
        staff = await logged_in_staff(browser, identity_provider, engine, Role.OPERATOR)
    mine = await office.get("/me", headers=staff.bearer)
    assert mine.status_code == 404 and mine.json()["code"] == "conto_non_trovato"
    seen = await office.get(f"/accounts/{account}", headers=staff.bearer)
    assert seen.status_code == 200 and seen.json()["balance"]["cents"] == 700
    listed = await office.get(f"/accounts/{account}/movements", headers=staff.bearer)
    assert listed.status_code == 200 and listed.json()["total"] == 1
    missing = await office.get(f"/accounts/{uuid.uuid4()}/movements", headers=staff.bearer)
    assert missing.status_code == 404 and missing.json()["code"] == "conto_non_trovato"


async def test_the_statement_reads_only_what_the_sessions_user_may_see(
    office: httpx.AsyncClient,
    identity_provider: ProviderProcess,
    engine: AsyncEngine,
    accounts_settings: AccountsSettings,
) -> None:
    """The belt under the handler's own checks: asked for another family's account, or by a
    guardian for the movements, the statement itself finds nothing."""
    mine, holder = await holder_of_a_family(office, identity_provider)
    theirs, _ = await holder_of_a_family(office, identity_provider)
    _, guardian_headers = await new_parent(office, identity_provider, mine, holder=False)
    guardian = guardian_headers["Authorization"].split()[1]
    rules = accounts_settings.session_rules
    views = SqlAccountsUnitOfWork(engine, "accounts")
    every = MovementFilter()
    async with views.reading():
        own = await views.views.account_asked(session_check(holder, rules), None)
        assert own is not None and own.found is not None and str(own.found.account_id) == mine
        other = await views.views.account_asked(session_check(holder, rules), uuid.UUID(theirs))
        assert other is not None and other.found is None and str(other.user.account_id) == mine
        page = await views.views.movements_asked(session_check(holder, rules), uuid.UUID(mine), every, 50, 0)
        assert page is not None and page.found is not None and page.found.total == 1
        other_page = await views.views.movements_asked(session_check(holder, rules), uuid.UUID(theirs), every, 50, 0)
        assert other_page is not None and other_page.found is None
        kept_from = await views.views.movements_asked(session_check(guardian, rules), uuid.UUID(mine), every, 50, 0)
        assert kept_from is not None and kept_from.found is None and not kept_from.user.is_holder
        assert await views.views.account_asked(session_check(secrets.new_secret(), rules), None) is None
    for path in (f"/accounts/{theirs}", f"/accounts/{theirs}/movements"):
        refused = await office.get(path, headers=bearer(holder))
        assert refused.status_code == 404 and refused.json()["code"] == "conto_non_trovato", path
    refused = await office.get(f"/accounts/{mine}/movements", headers=bearer(guardian))
    assert refused.status_code == 403 and refused.json()["code"] == "riservato_al_titolare"
    assert (await office.get("/me", headers=bearer(guardian))).json()["balance"] is None
