"""The parents' portal in a real browser (Playwright on Debian's Chromium), through the real
processes: the four services, the OIDC provider standing in for the Comune's SPID/CIE gateway,
Kafka and PostgreSQL. Every page of ours is checked by axe-core and photographed at 360 and
1280 px (testkit.browser); nothing reaches past the machine."""

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from testkit.browser import Offline, Screens, new_context
from testkit.data import tax_code
from testkit.oidc import ProviderProcess, spid_claims
from testkit.processes import ServiceProcess

from ..conftest import NODE_SECRET, OFFICE_TOKEN, SERVICE_TOKEN
from ..pagopa_node_simulator import NodeSimulator

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
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

    async def logs_in(self, screens: Screens, button: str = "Entra con SPID") -> None:
        await self.page.goto(f"{self.portal}/accedi")
        await screens.check(self.page, "accedi")
        await self.page.get_by_role("link", name=button).click()
        # The provider's page (not ours: in production, the identity provider's own).
        await self.page.get_by_placeholder("sub").fill(self.sub)
        await self.page.get_by_role("button", name="Authorize").click()

    def refused_off_machine(self) -> list[str]:
        """Requests that tried to leave the machine from our pages (the stand-in's page loads a CDN stylesheet)."""
        return [url for url in self.offline.refused if "pico" not in url]


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    made, offline = await new_context(browser)
    made.offline = offline  # type: ignore[attr-defined]
    yield made
    await made.close()


async def person(context: BrowserContext, system: dict[str, ServiceProcess], provider: ProviderProcess, code: str) -> Person:
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


async def pay_at_a_tabaccheria(system: dict[str, ServiceProcess], account: str, holder: str, cents: int) -> None:
    """A notice for the family, paid at a (simulated) tabaccheria through the pagoPA node."""
    payments = system["payments"].url
    async with httpx.AsyncClient(timeout=15) as http:
        notice = await http.post(
            f"{payments}/internal/notices",
            headers=SERVICE,
            json={"account_id": account, "amount_cents": cents, "debtor_tax_code": holder, "debtor_name": "Mario Rossi"},
        )
        assert notice.status_code == 201, notice.text
        answer, _ = await NodeSimulator(payments, NODE_SECRET, http=http).pay_at_counter(notice.json()["notice_number"])
    assert answer.outcome == "OK", answer.raw


async def test_the_holder_logs_in_with_spid_and_sees_a_top_up_arrive(
    context: BrowserContext, system: dict[str, ServiceProcess], identity_provider: ProviderProcess, screens: Screens
) -> None:
    holder = tax_code()
    family = await register_family(system["accounts"].url, holder, f"primaria-{uuid.uuid4().hex[:6]}")
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
    await screens.check(page, "scrivania")

    await page.evaluate("() => { window.sameDocument = true }")  # gone if the page reloads
    await pay_at_a_tabaccheria(system, family["account_id"], holder, 2000)
    await expect(page.get_by_test_id("saldo")).to_have_text("€ 20,00", timeout=20_000)
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
