"""The portal's pages on the in-process service (HTML over HTTP, no browser): assets served by
the app, Italian error pages, the Scrivania's refresh. The browser journeys are in tests/e2e."""

import re

import httpx

from testkit.oidc import ProviderProcess, log_in, spid_claims

from .test_auth import portal
from .test_families import family

HTML = {"Accept": "text/html"}


async def test_the_assets_come_from_the_app_not_a_cdn(office: httpx.AsyncClient) -> None:
    page = (await office.get("/", headers=HTML)).text
    sources = re.findall(r'(?:href|src)="([^"#]+)"', page)
    assert sources and all(s.startswith(("/", "tel:", "mailto:")) for s in sources), sources
    for asset in (
        "/static/bootstrap-italia/css/bootstrap-italia.min.css",
        "/static/htmx/htmx.min.js",
        "/static/refettorio/fonts.css",
        "/static/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2",
    ):
        assert (await office.get(asset)).status_code == 200, asset


async def test_an_unknown_address_is_an_italian_page_for_people_and_json_for_programs(
    office: httpx.AsyncClient,
) -> None:
    page = await office.get("/nessuna-pagina", headers=HTML)
    assert page.status_code == 404 and "Pagina non trovata" in page.text and '<html lang="it">' in page.text
    api = await office.get("/nessuna-pagina")
    assert api.status_code == 404 and api.json()["code"] == "http_404"


async def test_the_scrivania_answers_its_poll_only_when_the_ledger_moved(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    body = family()
    account = (await office.post("/office/families", json=body)).json()["account_id"]
    identity_provider.add("titolare-scrivania", spid_claims(str(body["holder_tax_code"]), "Maria", "Bianchi"))
    async with portal(office) as browser:
        await log_in(browser, "titolare-scrivania")
        desk = await browser.get(f"/conti/{account}/scrivania")
        assert desk.status_code == 200 and "€ 0,00" in desk.text
        poll = re.search(r'hx-get="([^"]+)"', desk.text)
        assert poll is not None
        unchanged = await browser.get(poll[1], headers={"HX-Request": "true"})
        assert unchanged.status_code == 204
        await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": 1250, "reason": "buoni"})
        moved = await browser.get(poll[1], headers={"HX-Request": "true"})
        assert moved.status_code == 200 and "€ 12,50" in moved.text
        assert "<html" not in moved.text and 'id="aggiornabile"' in moved.text  # the fragment alone
        browser.cookies.clear()  # the session gone: htmx is told to take the whole page to the login
        lost = await browser.get(poll[1], headers={"HX-Request": "true"})
        assert lost.headers["HX-Redirect"] == "/accedi"
