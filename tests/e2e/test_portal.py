"""The parents' portal in a real browser (Playwright on Debian's Chromium), through the real
processes: the four services, the OIDC provider standing in for the Comune's SPID/CIE gateway,
Kafka and PostgreSQL. Every page of ours is checked by axe-core and photographed at 360 and
1280 px (testkit.browser); nothing reaches past the machine."""

import re
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from shared.web.formatting import data_lunga
from testkit.browser import Offline, Screens, new_context
from testkit.data import tax_code
from testkit.oidc import ProviderProcess, spid_claims
from testkit.processes import ServiceProcess

from ..conftest import NODE_SECRET, OFFICE_TOKEN, SERVICE_TOKEN
from ..pagopa_node_simulator import NodeSimulator

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
FOOTER = (
    ("Informativa privacy", "privacy"),
    ("Dichiarazione di accessibilità", "accessibilita"),
    ("Segnalazione disservizio", "segnala-disservizio"),
)
SECTIONS = (
    "A chi è rivolto",
    "Come fare",
    "Cosa serve",
    "Cosa si ottiene",
    "Tempi e scadenze",
    "Accedi al servizio",
    "Contatti",
)


class Person:
    """Someone at a browser, with an identity at the SPID/CIE stand-in."""

    def __init__(self, page: Page, offline: Offline, portal: str, sub: str) -> None:
        self.page, self.offline, self.portal, self.sub = page, offline, portal, sub

    async def logs_in(self, screens: Screens | None = None, button: str = "Entra con SPID") -> None:
        await self.page.goto(f"{self.portal}/accedi")
        if screens:
            await screens.check(self.page, "accedi")
        await self.page.get_by_role("link", name=button).click()
        await self.picks_identity()

    async def picks_identity(self) -> None:
        """On the provider's page (not ours: in production, the identity provider's own)."""
        await self.page.get_by_placeholder("sub").fill(self.sub)
        await self.page.get_by_role("button", name="Authorize").click()

    async def tabs_to(self, name: str) -> None:
        """Moves the focus with the Tab key alone until it is on the control named `name`."""
        for _ in range(40):
            await self.page.keyboard.press("Tab")
            focused = await self.page.evaluate("() => document.activeElement && document.activeElement.innerText")
            if focused and focused.strip() == name:
                return
        raise AssertionError(f"{name!r} cannot be reached with the keyboard")

    def refused_off_machine(self) -> list[str]:
        """Requests that tried to leave the machine from our pages (the stand-in's page loads a CDN stylesheet)."""
        return [url for url in self.offline.refused if "pico" not in url]


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    made, offline = await new_context(browser)
    made.offline = offline  # type: ignore[attr-defined]
    yield made
    await made.close()


async def person(
    context: BrowserContext, system: dict[str, ServiceProcess], provider: ProviderProcess, code: str
) -> Person:
    sub = f"spid-{uuid.uuid4().hex[:8]}"
    provider.add(sub, spid_claims(code, "Mario", "Rossi"))
    return Person(await context.new_page(), context.offline, system["accounts"].url, sub)  # type: ignore[attr-defined]


async def register_family(accounts: str, holder: str, school: str) -> dict[str, Any]:
    body = {
        "holder_tax_code": holder,
        "holder_first_name": "Mario",
        "holder_last_name": "Rossi",
        "email": f"famiglia-{uuid.uuid4().hex[:8]}@example.it",
        "students": [
            {
                "tax_code": tax_code(year=2016),
                "first_name": "Giulia",
                "last_name": "Rossi",
                "school_year": "2026/2027",
                "school_id": school,
                "class_id": "4A",
            }
        ],
    }
    async with httpx.AsyncClient(timeout=15) as http:
        created = await http.post(f"{accounts}/office/families", headers=OFFICE, json=body)
    assert created.status_code == 201, created.text
    family: dict[str, Any] = created.json()
    return family


def next_weekday(after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


async def declare_strike(system: dict[str, ServiceProcess], school: str, day: date) -> None:
    """The office declares a strike at the school (attendance's office route, through which the
    gateway will forward it): the Scrivania announces it."""
    closure = {"service_date": day.isoformat(), "kind": "strike", "reason": "sciopero del personale"}
    async with httpx.AsyncClient(timeout=15) as http:
        declared = await http.post(
            f"{system['attendance'].url}/office/schools/{school}/closures", headers=SERVICE, json=closure
        )
    assert declared.status_code == 200, declared.text


async def pay_at_a_tabaccheria(system: dict[str, ServiceProcess], account: str, holder: str, cents: int) -> None:
    """A notice for the family, paid at a (simulated) tabaccheria through the pagoPA node."""
    payments = system["payments"].url
    async with httpx.AsyncClient(timeout=15) as http:
        notice = await http.post(
            f"{payments}/internal/notices",
            headers=SERVICE,
            json={
                "account_id": account,
                "amount_cents": cents,
                "debtor_tax_code": holder,
                "debtor_name": "Mario Rossi",
            },
        )
        assert notice.status_code == 201, notice.text
        answer, _ = await NodeSimulator(payments, NODE_SECRET, http=http).pay_at_counter(notice.json()["notice_number"])
    assert answer.outcome == "OK", answer.raw


async def test_the_holder_logs_in_with_spid_and_sees_a_top_up_arrive(
    context: BrowserContext, system: dict[str, ServiceProcess], identity_provider: ProviderProcess, screens: Screens
) -> None:
    holder, school = tax_code(), f"primaria-{uuid.uuid4().hex[:6]}"
    family = await register_family(system["accounts"].url, holder, school)
    strike = next_weekday(datetime.now(ZoneInfo("Europe/Rome")).date())
    await declare_strike(system, school, strike)
    mario = await person(context, system, identity_provider, holder)
    page = mario.page

    await page.goto(f"{mario.portal}/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mensa scolastica")
    for section in SECTIONS:
        await expect(page.get_by_role("main").get_by_role("heading", name=section, level=2)).to_be_visible()
    await screens.check(page, "mensa-scolastica")

    await mario.logs_in(screens)
    await expect(page).to_have_url(re.compile(f"/conti/{family['account_id']}/scrivania$"))
    await expect(page.get_by_test_id("saldo")).to_have_text("€ 0,00")
    await expect(page.get_by_text("Credito in esaurimento")).to_be_visible()
    await expect(page.get_by_text(f"{data_lunga(strike)}: Sciopero, niente mensa per Giulia")).to_be_visible()
    await screens.check(page, "scrivania")

    await page.evaluate("() => { window.sameDocument = true }")  # gone if the page reloads
    await pay_at_a_tabaccheria(system, family["account_id"], holder, 2000)
    await expect(page.get_by_test_id("saldo")).to_have_text(
        "€ 20,00", timeout=45_000
    )  # pagoPA -> Kafka -> ledger -> poll
    assert await page.evaluate("() => window.sameDocument === true"), "the Scrivania reloaded"
    await expect(page.get_by_text("Basta ancora per 4 pasti")).to_be_visible()
    await expect(page.get_by_role("cell", name="Ricarica pagoPA")).to_be_visible()
    await screens.check(page, "scrivania-dopo-ricarica")

    await page.get_by_role("button", name="Esci").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sei uscito dal portale")
    await screens.check(page, "uscita")
    await page.goto(f"{mario.portal}/scrivania")
    await expect(page).to_have_url(f"{mario.portal}/accedi")
    assert mario.refused_off_machine() == []


async def test_a_guardian_never_sees_a_debt_and_uses_the_keyboard_only(
    context: BrowserContext, system: dict[str, ServiceProcess], identity_provider: ProviderProcess, screens: Screens
) -> None:
    family = await register_family(system["accounts"].url, tax_code(), f"primaria-{uuid.uuid4().hex[:6]}")
    account = family["account_id"]
    guardian = tax_code()
    async with httpx.AsyncClient(base_url=system["accounts"].url, headers=OFFICE, timeout=15) as office:
        for cents in (-900, 200):  # a balance of -€ 7,00: a debt
            moved = await office.post(
                f"/office/accounts/{account}/adjustments", json={"amount_cents": cents, "reason": "pasti"}
            )
            assert moved.status_code == 201, moved.text
        registered = await office.post(
            "/office/users", json={"role": "parent", "tax_code": guardian, "account_id": account}
        )
        assert registered.status_code == 201, registered.text
    anna = await person(context, system, identity_provider, guardian)
    page = anna.page

    await page.goto(f"{anna.portal}/")
    await anna.tabs_to("Entra con SPID")
    await page.keyboard.press("Enter")
    await anna.picks_identity()
    await expect(page).to_have_url(re.compile(f"/conti/{account}/scrivania$"))
    await expect(page.get_by_text("Il saldo di questo conto è visibile al titolare.")).to_be_visible()
    body = await page.locator("main").inner_text()
    assert "7,00" not in body  # the movements' amounts show (as in the API), the balance never
    assert await page.get_by_role("columnheader", name="Saldo").count() == 0
    assert await page.get_by_role("heading", name="Il saldo negli ultimi mesi").count() == 0
    await screens.check(page, "scrivania-tutore")

    await anna.tabs_to("Esci")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sei uscito dal portale")


async def test_another_familys_page_is_not_found_and_a_form_without_token_is_refused(
    context: BrowserContext, system: dict[str, ServiceProcess], identity_provider: ProviderProcess, screens: Screens
) -> None:
    holder = tax_code()
    mine = await register_family(system["accounts"].url, holder, "primaria-a")
    theirs = await register_family(system["accounts"].url, tax_code(), "primaria-b")
    mario = await person(context, system, identity_provider, holder)
    await mario.logs_in()
    await expect(mario.page).to_have_url(re.compile(f"/conti/{mine['account_id']}/scrivania$"))

    answer = await mario.page.goto(f"{mario.portal}/conti/{theirs['account_id']}/scrivania")
    assert answer is not None and answer.status == 404
    await expect(mario.page.get_by_role("heading", level=1)).to_have_text("Pagina non trovata")
    await screens.check(mario.page, "non-trovato")

    # A form posted from elsewhere carries the session cookie but not the page's token.
    refused = await context.request.post(f"{mario.portal}/esci", form={"motivo": "nessun token"})
    assert refused.status == 403 and "ricarica la pagina" in await refused.text()
    await mario.page.goto(f"{mario.portal}/scrivania")  # and the session is still there
    await expect(mario.page).to_have_url(re.compile(f"/conti/{mine['account_id']}/scrivania$"))


async def test_a_fiscal_code_on_no_account_gets_no_session(
    context: BrowserContext, system: dict[str, ServiceProcess], identity_provider: ProviderProcess, screens: Screens
) -> None:
    stranger = await person(context, system, identity_provider, tax_code())
    await stranger.logs_in(button="Entra con CIE")
    await expect(stranger.page.get_by_role("heading", level=1)).to_have_text("Nessuna iscrizione trovata")
    await expect(
        stranger.page.get_by_text("Non risulta alcuna iscrizione al servizio mensa a tuo nome")
    ).to_be_visible()
    await screens.check(stranger.page, "nessuna-iscrizione")
    assert "refettorio_sessione" not in {c["name"] for c in await context.cookies()}
    await stranger.page.goto(f"{stranger.portal}/scrivania")
    await expect(stranger.page).to_have_url(f"{stranger.portal}/accedi")
    # The footer's pages, on every page of the portal.
    for link, screen in FOOTER:
        await stranger.page.get_by_role("contentinfo").get_by_role("link", name=link).click()
        await expect(stranger.page.get_by_role("heading", level=1)).to_contain_text(link.split()[0])
        await screens.check(stranger.page, screen)
