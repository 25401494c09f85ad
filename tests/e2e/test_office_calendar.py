"""Calendario e chiusure, and Cucina, in a real browser through the real processes: a responsabile
sets a school's service days, the kitchen page shows the forecast and then the final count, an
operatore declares a strike on a day whose meals were already charged, sees how many meals it
will cancel, confirms, and the family's ledger shows the meals reversed; removing that closure is
refused (its meals cannot be charged again). Apart, the municipal calendar: holidays of every
school declared, one removed. The audit log names who did what. Every screen
is checked by axe and photographed (testkit.browser)."""

import random
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from accounts.domain.users import Role
from shared.school_year import SchoolYear
from testkit.acting import person_header
from testkit.browser import Screens
from testkit.data import rome_today, tax_code
from testkit.infra import Infra
from testkit.oidc import ProviderProcess
from testkit.processes import ServiceProcess

from ..conftest import OFFICE_TOKEN, SERVICE_TOKEN
from .test_office import contexts, logs_in, registered_staff

__all__ = ["contexts"]  # the fixture, shared with the office's journey

DAY = rome_today() - timedelta(days=1)  # a day gone by: the office closes it, with a reason


async def family_of_two(http: httpx.AsyncClient, portal: str, school: str) -> str:
    """Registered by the office's automation (the pages that do it are the office journey's)."""
    children = [
        {
            "tax_code": tax_code(year=2017),
            "first_name": name,
            "last_name": "Martini",
            "school_year": str(SchoolYear.of(DAY)),
            "school_id": school,
            "class_id": class_id,
        }
        for name, class_id in (("Sofia", "3A"), ("Tommaso", "2A"))
    ]
    family = {"holder_tax_code": tax_code(), "holder_first_name": "Elena", "holder_last_name": "Martini"}
    office = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
    registered = await http.post(f"{portal}/office/families", headers=office, json=family | {"students": children})
    assert registered.status_code == 201, registered.text
    return str(registered.json()["account_id"])


async def reload_until(page: Page, check: Callable[[], Awaitable[None]], tries: int = 60) -> None:
    """Reloads the page until `check` (a short expect assertion) holds: the events travel."""
    for _ in range(tries):
        try:
            return await check()
        except AssertionError:
            await page.reload()
    await check()


async def sets_every_day_of_service(page: Page, portal: str, school: str) -> None:
    await page.goto(f"{portal}/ufficio/calendario")
    await page.get_by_role("navigation", name="Menu dell'Ufficio Scuola").get_by_role("link", name="Calendario").click()
    await page.get_by_label("Scuola (codice)", exact=True).fill(school)
    await page.get_by_role("button", name="Mostra il calendario").click()
    for day in ("sabato", "domenica"):  # whatever weekday yesterday was, it is a day of service
        await page.locator(f"label:text-is('{day}')").click()  # Bootstrap Italia draws the box on its label
    await page.get_by_label("Orario limite per comunicare le assenze", exact=True).fill("10:00")
    await page.get_by_role("button", name="Salva giorni e orario").click()
    await expect(page.get_by_role("status")).to_have_text("Giorni di servizio e orario limite salvati.")
    await expect(page.get_by_label("domenica", exact=True)).to_be_checked()


async def kitchen_counts(page: Page, screens: Screens, portal: str, school: str, name: str, state: str) -> None:
    await page.goto(f"{portal}/ufficio/cucina?giorno={DAY}&scuola={school}")
    await reload_until(
        page, lambda: expect(page.get_by_test_id("totale-pasti")).to_have_text("Totale: 2 pasti", timeout=500)
    )
    await expect(page.get_by_role("heading", level=2, name=school)).to_contain_text(state)
    await expect(page.get_by_role("cell", name="3A", exact=True)).to_be_visible()
    await screens.check(page, name)
    await page.emulate_media(media="print")  # the print stylesheet: the counts without the menus
    await expect(page.get_by_role("navigation", name="Menu dell'Ufficio Scuola")).to_be_hidden()
    await expect(page.get_by_role("cell", name="3A", exact=True)).to_be_visible()
    await page.screenshot(path=screens.folder / f"{name}-stampa.png", full_page=True)
    await page.emulate_media(media="screen")
    csv = await page.request.get(f"{portal}/ufficio/cucina.csv?giorno={DAY}&scuola={school}")
    assert csv.ok and csv.headers["content-type"].startswith("text/csv")
    assert "scuola;data;classe;dieta;pasti;definitivo" in await csv.text()


async def declares_a_strike(page: Page, screens: Screens, portal: str, school: str) -> None:
    await page.goto(f"{portal}/ufficio/calendario?scuola={school}&mese={DAY:%Y-%m}")
    await page.get_by_label("Giorno", exact=True).fill(DAY.isoformat())
    await page.get_by_label("Tipo di chiusura", exact=True).select_option("strike")
    await page.get_by_label("Motivo", exact=True).fill("Sciopero del personale della mensa")
    await page.get_by_role("button", name="Dichiara la chiusura").click()
    await expect(page.get_by_test_id("anteprima-chiusura")).to_contain_text(
        "Questa chiusura annullerà 2 pasti già addebitati"
    )
    await screens.check(page, "ufficio-calendario-anteprima")
    await page.get_by_role("button", name="Conferma la chiusura").click()
    await expect(page.get_by_role("status")).to_have_text("Chiusura registrata.")
    await expect(page.get_by_role("row").filter(has_text="Sciopero")).to_contain_text("tutta la scuola")
    await screens.check(page, "ufficio-calendario-chiusura")

    await page.get_by_role("button", name=re.compile("^Togli la chiusura")).click()  # by mistake? Too late
    await expect(page.get_by_role("alert")).to_contain_text("non si possono riaddebitare")
    await expect(page.get_by_role("row").filter(has_text="Sciopero")).to_be_visible()
    await screens.check(page, "ufficio-calendario-rifiuto")


async def free_days_ahead(attendance: str) -> date:
    """Two days far ahead that no earlier run declared: the database outlives a run (the local
    stack keeps its data), and the municipal calendar is the whole city's."""
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}"} | person_header("attendance")
    async with httpx.AsyncClient(timeout=10) as http:
        while True:
            first = date(random.randrange(2090, 2099), 10, random.randrange(1, 28))
            period = {"first": str(first), "last": str(first + timedelta(days=1))}
            declared = await http.get(f"{attendance}/office/holidays", headers=headers, params=period)
            assert declared.status_code == 200, declared.text
            if not declared.json():
                return first


async def declares_and_removes_holidays(
    page: Page, screens: Screens, portal: str, attendance: str, school: str
) -> None:
    """A period of the municipal calendar far ahead (it closes every school of the run), then one
    of its days removed: declared by mistake, and no school has closed it. Its reason is this
    run's own: the list shows the whole school year, and earlier runs left their holidays in it."""
    first, reason = await free_days_ahead(attendance), f"Festa del patrono {uuid.uuid4().hex[:4]}"
    await page.goto(f"{portal}/ufficio/calendario?scuola={school}")
    await page.get_by_label("Dal giorno", exact=True).fill(first.isoformat())
    await page.get_by_label("Al giorno (compreso)", exact=True).fill((first + timedelta(days=1)).isoformat())
    await page.get_by_label("Motivo della festività", exact=True).fill(reason)
    await page.get_by_role("button", name="Chiudi tutte le scuole").click()
    await expect(page.get_by_role("status")).to_have_text("Festività comunali registrate per tutte le scuole.")
    holidays = page.get_by_role("region", name="Festività comunali di tutte le scuole").get_by_role("listitem")
    await expect(holidays.filter(has_text=reason)).to_have_count(2)
    await expect(page.get_by_role("row").filter(has_text="festività comunale").first).to_be_visible()
    await screens.check(page, "ufficio-calendario-festivita")
    await holidays.filter(has_text=reason).first.get_by_role("button", name=re.compile("^Togli")).click()
    await expect(page.get_by_role("status")).to_have_text("Chiusura tolta.")
    await expect(holidays.filter(has_text=reason)).to_have_count(1)


@pytest.mark.timeout(300)  # a morning charged, then a strike: the events cross two services twice
async def test_a_strike_on_a_charged_day_reverses_its_meals_after_a_preview(
    contexts: list[BrowserContext],
    system: dict[str, ServiceProcess],
    identity_provider: ProviderProcess,
    infra: Infra,
    screens: Screens,
) -> None:
    portal, school = system["accounts"].url, f"primaria-{uuid.uuid4().hex[:6]}"
    manager = await logs_in(
        contexts[0], portal, await registered_staff(infra, identity_provider, Role.MANAGER, "Marta Rossi")
    )
    async with httpx.AsyncClient(timeout=10) as http:
        account = await family_of_two(http, portal, school)
        await sets_every_day_of_service(manager, portal, school)
        await kitchen_counts(manager, screens, portal, school, "ufficio-cucina", "Previsione")
        # The day is closed as the terminal or the office does (not a screen of these): both children eat.
        office_day = f"{system['attendance'].url}/office/schools/{school}/days/{DAY}"
        headers = {"Authorization": f"Bearer {SERVICE_TOKEN}"} | person_header("attendance")
        closed = await http.post(f"{office_day}/close", headers=headers, json={"reason": "Registro cartaceo"})
    assert closed.status_code == 200 and closed.json()["meals"] == 2, closed.text
    await kitchen_counts(manager, screens, portal, school, "ufficio-cucina-definitivo", "Definitivo")
    family = f"{portal}/ufficio/famiglie/{account}"
    await manager.goto(family)
    await reload_until(manager, lambda: expect(manager.get_by_text("Pasto consumato")).to_have_count(2, timeout=500))

    operator = await logs_in(
        contexts[1], portal, await registered_staff(infra, identity_provider, Role.OPERATOR, "Luca Bruni")
    )
    await declares_a_strike(operator, screens, portal, school)

    await manager.goto(family)
    await reload_until(manager, lambda: expect(manager.get_by_text("Pasto stornato")).to_have_count(2, timeout=500))
    await expect(manager.get_by_test_id("saldo")).to_have_text("€ 0,00")
    await manager.goto(f"{portal}/ufficio/registro")
    log = manager.get_by_role("main")
    await expect(log.get_by_role("row").filter(has_text="Chiusura del servizio dichiarata").first).to_contain_text(
        "Luca Bruni"
    )


async def test_service_days_and_the_municipal_calendar(
    contexts: list[BrowserContext],
    system: dict[str, ServiceProcess],
    identity_provider: ProviderProcess,
    infra: Infra,
    screens: Screens,
) -> None:
    portal, school = system["accounts"].url, f"primaria-{uuid.uuid4().hex[:6]}"
    manager = await logs_in(
        contexts[0], portal, await registered_staff(infra, identity_provider, Role.MANAGER, "Sara Conti")
    )
    await sets_every_day_of_service(manager, portal, school)
    await screens.check(manager, "ufficio-calendario")
    await declares_and_removes_holidays(manager, screens, portal, system["attendance"].url, school)
    await manager.goto(f"{portal}/ufficio/registro")
    log = manager.get_by_role("main")
    for done in ("Festività comunali dichiarate", "Festività comunale tolta", "Giorni di servizio"):
        await expect(log.get_by_role("row").filter(has_text=done).first).to_contain_text("Sara Conti")
