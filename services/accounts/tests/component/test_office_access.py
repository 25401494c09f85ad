"""Who enters the back-office and what each role may do, on the real service: staff through
SPID/CIE (the OIDC provider process), a parent refused (403) on every office page and route,
the service token refused on every route a person uses, an operatore refused a responsabile's
decisions, an amministratore alone managing staff."""

import re
import uuid

import httpx
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.domain.users import Role
from shared.web.csrf import token_for
from testkit.data import tax_code
from testkit.oidc import ProviderProcess

from ..conftest import SERVICE_TOKEN
from .staff import SESSION_COOKIE, logged_in_staff
from .test_auth import logged_in, portal
from .test_families import family

PUBLIC = ("/ufficio/accedi", "/ufficio/password")  # the optional password login: before any session
PARAMS = {
    "start": "2026",
    "end": "2027",
    "school_id": "primaria-x",
    "form_number": "M-1",
    "decision": "approva",
    "what": "prezzo",
    "action": "rotate",
}


def routes(app: FastAPI, prefixes: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every (method, path) of the app under these prefixes, its parameters filled in."""
    found = []
    for route in iter_route_contexts(app.routes):
        path, methods = route.path, route.methods
        if path is None or methods is None or not _under(path, prefixes) or _under(path, PUBLIC):
            continue
        filled = re.sub(r"\{(\w+)\}", lambda m: PARAMS.get(m[1], str(uuid.uuid4())), path)
        found += [(method, filled) for method in sorted(methods - {"HEAD"})]
    return found


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(f"{p}/") for p in prefixes)


def app_of(client: httpx.AsyncClient) -> FastAPI:
    """The FastAPI app behind the in-process client (asgi-lifespan wraps it to pass its state)."""
    wrapped = client._transport.app  # type: ignore[attr-defined]
    return next(cell.cell_contents for cell in wrapped.__closure__ if isinstance(cell.cell_contents, FastAPI))


async def test_staff_enter_with_spid_and_see_the_menu_of_their_role(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    async with portal(office) as browser:
        operator = await logged_in_staff(browser, identity_provider, engine, Role.OPERATOR, "Giovanna Neri")
        home = await browser.get("/ufficio")
        assert home.status_code == 200 and "Buongiorno Giovanna Neri" in home.text
        assert 'href="/ufficio/famiglie"' in home.text and 'href="/ufficio/utenti"' not in home.text
        refused = await browser.get("/ufficio/utenti")
        assert refused.status_code == 403 and "riservata agli amministratori" in refused.text
        assert (await browser.get("/accedi")).headers["location"] == "/ufficio"
    me = await office.get("/office/debtors", headers=operator.bearer)
    assert me.status_code == 200  # the same session is a bearer token for the office's API


async def test_a_parent_gets_403_on_every_office_page_and_route(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    body = family()
    assert (await office.post("/office/families", json=body)).status_code == 201
    token = await logged_in(office, identity_provider, str(body["holder_tax_code"]))
    app = app_of(office)
    pages, api = routes(app, ("/ufficio",)), routes(app, ("/office",))
    assert len(pages) > 20 and len(api) > 30
    async with portal(office) as browser:
        browser.cookies.set(SESSION_COOKIE, token)
        for method, path in pages:  # with the page's own CSRF token: refused for who they are
            sent = {"csrf_token": token_for(token)} if method == "POST" else None
            answer = await browser.request(method, path, data=sent, headers={"Accept": "text/html"})
            assert answer.status_code == 403, (method, path, answer.status_code)
            assert "riservata al personale" in answer.text, (method, path)
    for method, path in api:
        answer = await office.request(method, path, json={}, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 403, (method, path, answer.status_code)


async def test_the_service_token_is_refused_on_every_route_a_person_uses(office: httpx.AsyncClient) -> None:
    app = app_of(office)
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    people = routes(app, ("/office", "/accounts", "/me", "/auth/logout"))
    for method, path in people:
        answer = await office.request(method, path, json={}, headers=service)
        assert answer.status_code == 401, (method, path, answer.status_code)
    async with portal(office) as browser:  # pages take no bearer at all: to the login, or refused
        for method, path in routes(app, ("/ufficio", "/conti", "/scrivania")):
            answer = await browser.request(method, path, headers=service)
            assert answer.status_code in (303, 403), (method, path, answer.status_code)


async def test_an_operatore_cannot_make_a_responsabiles_decisions(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    async with portal(office) as browser:
        operator = await logged_in_staff(browser, identity_provider, engine, Role.OPERATOR)
    async with portal(office) as browser:
        manager = await logged_in_staff(browser, identity_provider, engine, Role.MANAGER, "Paolo Gialli")
    band = f"f-{uuid.uuid4().hex[:6]}"
    tariff = {
        "school_year": "2031/2032",
        "band_id": band,
        "name": "Fascia",
        "prices": [{"effective_from": "2031-09-01", "meal_price_cents": 300}],
    }
    for method, path, body in (
        ("PUT", "/office/tariffs", tariff),
        (
            "PUT",
            "/office/tariffs/2031-2032/sibling-discount",
            {"discounts": [{"effective_from": "2031-09-01", "percent": 10}]},
        ),
        ("POST", "/office/school-years/2031-2032/closing", None),
        ("GET", "/office/school-years/2031-2032/closing", None),
        ("GET", "/office/school-years/2031-2032/closing/preview", None),
        ("GET", "/office/refunds/pain.001", None),
        ("GET", "/office/refunds.csv", None),
        ("GET", "/office/staff", None),
    ):
        refused = await office.request(method, path, json=body, headers=operator.bearer)
        assert refused.status_code == 403 and refused.json()["code"] == "operazione_non_consentita", path
    assert (await office.put("/office/tariffs", json=tariff, headers=manager.bearer)).status_code == 204
    assert (await office.get("/office/staff", headers=manager.bearer)).status_code == 403  # staff: admins only


async def test_an_amministratore_manages_staff_and_cannot_demote_themselves(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    async with portal(office) as browser:
        admin = await logged_in_staff(browser, identity_provider, engine, Role.ADMIN, "Carla Blu")
    new = {
        "role": "operator",
        "name": "Nuova Operatrice",
        "tax_code": tax_code(),
        "email": f"{uuid.uuid4().hex[:6]}@comune.it",
    }
    created = await office.post("/office/staff", json=new, headers=admin.bearer)
    assert created.status_code == 201, created.text
    listed = (await office.get("/office/staff", headers=admin.bearer)).json()
    assert any(s["tax_code"] == new["tax_code"] for s in listed)
    demoted = await office.patch(f"/office/staff/{admin.user_id}", json={"role": "operator"}, headers=admin.bearer)
    assert demoted.status_code == 403
    audit = (await office.get("/office/audit", params={"action": "staff_added"}, headers=admin.bearer)).json()
    assert audit["total"] >= 1 and all(e["action"] == "staff_added" for e in audit["items"])
