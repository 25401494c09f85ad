"""Logins, sessions and the authorisation matrix, on the real service and a real OIDC provider.

Parents log in with SPID or CIE (the provider stands in for the Comune's gateway); the session
they get is a cookie for the pages and a bearer token for the API. Staff log in with a password,
throttled per email and per client address. Parents have no password at all.
"""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.adapters.argon2_passwords import Argon2Passwords
from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.adapters.tables import user_session
from accounts.domain.users import Principal, Role
from accounts.handlers import users
from shared import secrets
from testkit.data import tax_code
from testkit.oidc import ProviderProcess, log_in, spid_claims

from .test_families import family

PASSWORD = "una-password-lunga"
ADMIN = Principal(uuid.uuid4(), Role.ADMIN, name="Carla Blu")
SESSION_COOKIE = "refettorio_sessione"


def portal(office: httpx.AsyncClient, address: str = "127.0.0.1") -> httpx.AsyncClient:
    """A browser of its own on the same in-process app (its own cookies, its own address)."""
    app: FastAPI = office._transport.app  # type: ignore[attr-defined]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 4321)), base_url="http://test")


async def new_family(office: httpx.AsyncClient) -> str:
    return str((await office.post("/office/families", json=family())).json()["account_id"])


async def logged_in(office: httpx.AsyncClient, provider: ProviderProcess, person: str) -> str:
    """The session token of `person` (a fiscal code) after a SPID login through the provider."""
    sub = f"spid-{uuid.uuid4().hex[:8]}"
    provider.add(sub, spid_claims(person, "Anna", "Verdi"))
    async with portal(office) as browser:
        back = await log_in(browser, sub)
        assert back.status_code == 303 and back.headers["location"] == "/scrivania", back.text
        return str(browser.cookies[SESSION_COOKIE])


async def new_parent(
    office: httpx.AsyncClient, provider: ProviderProcess, account_id: str, holder: bool = True
) -> tuple[str, dict[str, str]]:
    """The office registers a guardian by fiscal code; they log in with SPID."""
    person = tax_code()
    user = {"tax_code": person, "role": "parent", "account_id": account_id, "is_holder": holder}
    created = await office.post("/office/users", json=user)
    assert created.status_code == 201, created.text
    return person, {"Authorization": f"Bearer {await logged_in(office, provider, person)}"}


async def test_a_parent_sees_only_their_family(office: httpx.AsyncClient, identity_provider: ProviderProcess) -> None:
    mine, theirs = await new_family(office), await new_family(office)
    _, parent = await new_parent(office, identity_provider, mine)
    assert (await office.get("/me", headers=parent)).json()["account_id"] == mine
    assert (await office.get(f"/accounts/{mine}", headers=parent)).status_code == 200
    assert (await office.get(f"/accounts/{mine}/movements", headers=parent)).status_code == 200
    for path in (
        f"/accounts/{theirs}",
        f"/accounts/{theirs}/movements",
        f"/accounts/{theirs}/movements.csv",
        f"/accounts/{theirs}/statements/2026.pdf",
        f"/accounts/{theirs}/desk",
    ):
        response = await office.get(path, headers=parent)
        assert response.status_code == 404, path
        assert response.json()["code"] == "conto_non_trovato"


async def test_only_the_holder_and_the_office_see_the_accounts_money(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    """Hardening finding 6: a guardian who is not the holder sees nothing a debt could be derived
    from, whatever the balance's sign: no balance, no movements, no statement, no paid notices."""
    account = await new_family(office)
    await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": -900, "reason": "pasti"})
    _, holder = await new_parent(office, identity_provider, account, holder=True)
    _, guardian = await new_parent(office, identity_provider, account, holder=False)
    assert (await office.get("/me", headers=holder)).json()["balance"]["cents"] == -900
    assert (await office.get(f"/accounts/{account}")).json()["balance"]["cents"] == -900
    assert (await office.get(f"/accounts/{account}/movements", headers=holder)).status_code == 200
    for cents in (None, 2000):  # in debt, then in credit: the same for the guardian
        if cents:
            await office.post(
                f"/office/accounts/{account}/adjustments", json={"amount_cents": cents, "reason": "buoni"}
            )
        assert (await office.get("/me", headers=guardian)).json()["balance"] is None
        for path in ("movements", "movements.csv", "statements/2026.pdf"):
            refused = await office.get(f"/accounts/{account}/{path}", headers=guardian)
            assert refused.status_code == 403 and refused.json()["code"] == "riservato_al_titolare", path
        desk = (await office.get(f"/accounts/{account}/desk", headers=guardian)).json()
        assert desk["balance"] is None and desk["state"] is None and desk["forecast"] is None
        assert desk["months"] is None
    assert (await office.get("/me", headers=holder)).json()["balance"]["cents"] == 1100


async def test_the_holder_logs_in_by_fiscal_code_without_registration(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    body = family()
    account = (await office.post("/office/families", json=body)).json()["account_id"]
    token = await logged_in(office, identity_provider, str(body["holder_tax_code"]))
    me = (await office.get("/me", headers={"Authorization": f"Bearer {token}"})).json()
    assert me["account_id"] == account
    again = await logged_in(office, identity_provider, str(body["holder_tax_code"]))  # the same user, twice
    assert (await office.get("/me", headers={"Authorization": f"Bearer {again}"})).json()["account_id"] == account


async def test_a_fiscal_code_on_no_account_gets_a_clear_page_and_no_session(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    identity_provider.add("sconosciuto", spid_claims(tax_code(), "Ugo", "Neri"))
    async with portal(office) as browser:
        back = await log_in(browser, "sconosciuto", method="cie")
        assert back.status_code == 403
        assert "Non risulta alcuna iscrizione al servizio mensa a tuo nome" in back.text
        assert SESSION_COOKIE not in browser.cookies
        assert (await browser.get("/scrivania")).headers["location"] == "/accedi"


async def test_the_session_cookie_is_http_only_and_same_site(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    body = family()
    await office.post("/office/families", json=body)
    identity_provider.add("titolare-cookie", spid_claims(str(body["holder_tax_code"]), "Maria", "Bianchi"))
    async with portal(office) as browser:
        back = await log_in(browser, "titolare-cookie")
    cookie = back.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here; `portal_url` https:// turns it on
    token = cookie.split(";")[0].split("=", 1)[1]
    async with engine.connect() as conn:  # only the token's digest is kept
        kept = set((await conn.execute(select(user_session.c.token_digest))).scalars())
    assert secrets.digest(token) in kept and token not in kept


async def test_a_session_ends_after_idle_time(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    _, parent = await new_parent(office, identity_provider, await new_family(office))
    token = parent["Authorization"].split()[1]
    assert (await office.get("/me", headers=parent)).status_code == 200
    async with engine.begin() as conn:  # half an hour passes without a request
        await conn.execute(
            update(user_session)
            .where(user_session.c.token_digest == secrets.digest(token))
            .values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31))
        )
    assert (await office.get("/me", headers=parent)).status_code == 401


async def test_logout_needs_the_csrf_token_and_ends_the_session(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    body = family()
    await office.post("/office/families", json=body)
    identity_provider.add("titolare-esce", spid_claims(str(body["holder_tax_code"]), "Maria", "Bianchi"))
    async with portal(office) as browser:
        await log_in(browser, "titolare-esce")
        page = await browser.get("/scrivania", follow_redirects=True)
        assert page.status_code == 200
        refused = await browser.post("/esci", data={})
        assert refused.status_code == 403 and "ricarica la pagina" in refused.text
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        left = await browser.post("/esci", data={"csrf_token": token})
        assert left.status_code == 200 and "Sei uscito" in left.text
        assert "oauth2/end_session" in left.text  # the provider's own logout is offered
        assert (await browser.get("/scrivania")).headers["location"] == "/accedi"


OFFICE_ROUTES = [
    ("POST", "/office/families", {}),
    ("GET", "/office/families?q=rossi", None),
    ("GET", "/office/debtors", None),
    ("GET", "/office/refunds", None),
    ("PUT", "/office/tariffs", {}),
    ("POST", "/office/broadcasts", {}),
    ("POST", "/office/broadcasts/preview", {}),
    ("GET", "/office/broadcasts", None),
    ("GET", "/office/debtors/page", None),
    ("POST", "/office/debtors/reminders", {}),
    ("POST", "/office/school-years/2020-2021/closing", None),
    ("GET", "/office/school-years/2020-2021/closing", None),
    ("GET", "/office/school-years/2020-2021/closing/preview", None),
    ("GET", "/office/refunds/pain.001", None),
    ("GET", "/office/refunds.csv", None),
    ("PUT", "/office/accounts/{a}/contacts", {}),
    ("PUT", "/office/accounts/{a}/students/{a}/enrolment", {}),
    ("POST", "/office/accounts/{a}/paper-vouchers", {}),
    ("POST", "/office/accounts/{a}/adjustments", {}),
    ("POST", "/office/users", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), OFFICE_ROUTES)
async def test_office_routes_refuse_parents_and_strangers(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, method: str, path: str, body: object
) -> None:
    account = await new_family(office)
    _, parent = await new_parent(office, identity_provider, account)
    url = path.format(a=account)
    assert (await office.request(method, url, json=body, headers=parent)).status_code == 403
    assert (await office.request(method, url, json=body, headers={"Authorization": ""})).status_code == 401
    assert (await office.request(method, url, json=body, headers={"Authorization": "Bearer nope"})).status_code == 401


async def test_logout_revokes_the_session(office: httpx.AsyncClient, identity_provider: ProviderProcess) -> None:
    _, parent = await new_parent(office, identity_provider, await new_family(office))
    assert (await office.post("/auth/logout", headers=parent)).status_code == 204
    assert (await office.get("/me", headers=parent)).status_code == 401


async def test_parents_have_no_password(office: httpx.AsyncClient) -> None:
    account = await new_family(office)
    with_password = {"tax_code": tax_code(), "role": "parent", "account_id": account, "password": PASSWORD}
    refused = await office.post("/office/users", json=with_password)
    assert refused.status_code == 422 and refused.json()["code"] == "password_non_prevista"
    by_email = {"email": "genitore@example.it", "role": "parent", "account_id": account}
    assert (await office.post("/office/users", json=by_email)).status_code == 422  # a fiscal code is needed
    # Staff password resets exist here (password logins on); a family's address gets nothing.
    email = f"genitore-{uuid.uuid4().hex[:8]}@example.it"
    guardian = {"email": email, "role": "parent", "account_id": account, "tax_code": tax_code()}
    assert (await office.post("/office/users", json=guardian)).status_code == 201
    assert (await office.post("/auth/password-reset", json={"email": email})).status_code == 202
    refused = await office.post("/auth/password-reset/confirm", json={"token": "x" * 43, "password": PASSWORD})
    assert refused.status_code == 400 and refused.json()["code"] == "collegamento_non_valido"


async def new_staff(engine: AsyncEngine) -> str:
    """A staff member with a password (created as an administrator would)."""
    email = f"operatore-{uuid.uuid4().hex[:8]}@comune.example.it"
    new = users.NewStaff(None, email, "Giovanna Neri", Role.OPERATOR, PASSWORD)
    await users.create_staff(SqlAccountsUnitOfWork(engine, "accounts"), Argon2Passwords(), ADMIN, new)
    return email


async def test_staff_log_in_with_a_password(office: httpx.AsyncClient, engine: AsyncEngine) -> None:
    email = await new_staff(engine)
    async with portal(office) as someone:
        login = await someone.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200 and login.json()["role"] == "operator"
    staff = {"Authorization": f"Bearer {login.json()['token']}"}
    assert (await office.get("/office/debtors", headers=staff)).status_code == 200


async def test_repeated_failures_lock_the_email(office: httpx.AsyncClient, engine: AsyncEngine) -> None:
    email = await new_staff(engine)
    async with portal(office, f"198.51.100.{uuid.uuid4().hex[:8]}") as someone:
        for _ in range(5):
            wrong = await someone.post("/auth/login", json={"email": email, "password": "sbagliata"})
            assert wrong.status_code == 401 and wrong.json()["code"] == "credenziali_non_valide"
    async with portal(office, f"198.51.100.{uuid.uuid4().hex[:8]}") as owner:  # even the right password
        locked = await owner.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["code"] == "accesso_bloccato"


async def test_one_address_trying_many_emails_is_locked(office: httpx.AsyncClient, engine: AsyncEngine) -> None:
    async with portal(office, f"198.51.100.{uuid.uuid4().hex[:8]}") as attacker:
        for i in range(30):
            await attacker.post("/auth/login", json={"email": f"x{i}-{uuid.uuid4().hex}@example.it", "password": "p"})
        email = await new_staff(engine)
        locked = await attacker.post("/auth/login", json={"email": email, "password": PASSWORD})
        assert locked.status_code == 429


async def test_watching_the_scrivania_is_not_activity_and_sessions_end_at_their_deadline(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    body = family()
    account = (await office.post("/office/families", json=body)).json()["account_id"]
    token = await logged_in(office, identity_provider, str(body["holder_tax_code"]))
    digest = secrets.digest(token)
    a_while_ago = datetime.now(UTC) - timedelta(minutes=20)
    async with engine.begin() as conn:
        await conn.execute(
            update(user_session).where(user_session.c.token_digest == digest).values(last_seen_at=a_while_ago)
        )
    async with portal(office) as browser:
        browser.cookies.set(SESSION_COOKIE, token)
        polled = await browser.get(
            f"/conti/{account}/scrivania/aggiornamento?versione=-1", headers={"HX-Request": "true"}
        )
        assert polled.status_code == 200
    async with engine.connect() as conn:
        seen = await conn.scalar(select(user_session.c.last_seen_at).where(user_session.c.token_digest == digest))
    assert seen == a_while_ago  # the poll did not keep the session alive
    async with engine.begin() as conn:  # twelve hours after the login, whatever the activity
        await conn.execute(
            update(user_session).where(user_session.c.token_digest == digest).values(expires_at=datetime.now(UTC))
        )
    assert (await office.get("/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401


async def test_a_way_back_without_a_login_under_way_is_refused(office: httpx.AsyncClient) -> None:
    """A code and a state the browser did not ask for (login CSRF, a replayed link): no session."""
    async with portal(office) as browser:
        back = await browser.get("/accedi/esito?code=rubato&state=inventato", headers={"Accept": "text/html"})
        assert back.status_code == 400 and "accesso non è riuscito o è scaduto" in back.text
        assert SESSION_COOKIE not in browser.cookies
