"""The school terminal in a real browser (Playwright on Debian's Chromium) through the real
processes. The office registers two tablets on its Terminali page; a tablet pairs with its code,
marks two absences, loses the network, marks a third and closes the day ("in coda"), gets the
network back and replays everything once; accounts charges exactly the children who ate; the
second tablet sees the same day and corrects it; a revoked tablet is logged out; yesterday and
next week are refused to a terminal. Every page of ours passes axe at 360 px and on the tablet
(800x1280) and is photographed (testkit.browser); nothing reaches past the machine."""

import re
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from accounts.adapters.argon2_passwords import Argon2Passwords
from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.domain.users import Principal, Role
from accounts.handlers import users
from shared.db import make_engine
from shared.school_year import SchoolYear
from testkit.acting import ForPerson
from testkit.browser import TABLET, Offline, Screens, new_context
from testkit.data import rome_today, tax_code
from testkit.infra import Infra
from testkit.kafka import eventually
from testkit.oidc import ProviderProcess, log_in, spid_claims
from testkit.processes import ServiceProcess

from ..conftest import OFFICE_TOKEN, SERVICE_TOKEN

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
EVERY_DAY = {"service_weekdays": [1, 2, 3, 4, 5, 6, 7], "cutoff": "09:30:00", "timezone": "Europe/Rome"}
FAMILIES = {
    "Rossi": (("Giulia", "4A"), ("Marco", "4A"), ("Luca", "4B")),
    "Bianchi": (("Sara", "4A"), ("Anna", "4A"), ("Pietro", "4B")),
}
INSTALLER = Principal(None, Role.ADMIN, name="Installazione")  # registers staff as at installation


@pytest.fixture(scope="module")
def tablet_screens() -> Screens:
    return Screens(sizes=TABLET)


@pytest.fixture
async def browsers(browser: Browser) -> AsyncIterator[list[tuple[BrowserContext, Offline]]]:
    """Browsers of their own: the office's desktop, then two of the school's tablets."""
    made = [await new_context(browser, width, height) for width, height in ((1280, 900), (800, 1280), (800, 1280))]
    yield made
    for context, _ in made:
        await context.close()


async def register_families(accounts: str, school: str) -> dict[str, str]:
    """The children's student ids by first name, and the families' accounts by surname."""
    year = str(SchoolYear.of(rome_today()))
    found: dict[str, str] = {}
    async with httpx.AsyncClient(timeout=15, headers=OFFICE) as http:
        for surname, children in FAMILIES.items():
            students = [
                {
                    "tax_code": tax_code(year=2017),
                    "first_name": name,
                    "last_name": surname,
                    "school_year": year,
                    "school_id": school,
                    "class_id": klass,
                }
                for name, klass in children
            ]
            body = {
                "holder_tax_code": tax_code(),
                "holder_first_name": "Titolare",
                "holder_last_name": surname,
                "students": students,
            }
            created = await http.post(f"{accounts}/office/families", json=body)
            assert created.status_code == 201, created.text
            found[surname] = created.json()["account_id"]
            found |= {name: sid for (name, _), sid in zip(children, created.json()["student_ids"], strict=True)}
    return found


async def a_school(system: dict[str, ServiceProcess]) -> tuple[str, dict[str, str]]:
    """A school serving every day (today is one), its two families enrolled and known to attendance."""
    school = f"primaria-{uuid.uuid4().hex[:6]}"
    attendance = system["attendance"].url
    async with httpx.AsyncClient(timeout=15, headers=SERVICE, auth=ForPerson("attendance")) as http:
        assert (await http.put(f"{attendance}/office/schools/{school}/calendar", json=EVERY_DAY)).status_code == 204
        ids = await register_families(system["accounts"].url, school)

        async def enrolled() -> bool:
            count = await http.get(f"{attendance}/office/schools/{school}/days/{rome_today()}/kitchen")
            return count.status_code == 200 and count.json()["total"] == 6

        await eventually(enrolled, timeout=60)
    return school, ids


async def office_session(infra: Infra, accounts: str, provider: ProviderProcess) -> str:
    """A member of the Ufficio Scuola (an operatore), registered by fiscal code as an administrator
    would and logged in with SPID through the provider's page, as staff log in; the session is the
    one that login opened, nothing forged."""
    code = tax_code()
    engine = make_engine(infra.database_urls["accounts"], pool_size=1)
    try:
        new = users.NewStaff(code, None, "Ornella Operatrice", Role.OPERATOR)
        await users.create_staff(SqlAccountsUnitOfWork(engine, "accounts"), Argon2Passwords(), INSTALLER, new)
    finally:
        await engine.dispose()
    sub = f"staff-{uuid.uuid4().hex[:8]}"
    provider.add(sub, spid_claims(code, "Ornella", "Operatrice"))
    async with httpx.AsyncClient(base_url=accounts, timeout=15) as browser:
        back = await log_in(browser, sub)
        assert back.status_code == 303, back.text
        return str(browser.cookies["refettorio_sessione"])


async def registers_a_tablet(page: Page, screens: Screens, label: str, school: str, first: bool) -> str:
    """On the office's Terminali page: a tablet for the school, and the code shown once."""
    await page.get_by_label("Scuola", exact=True).fill(school)
    await page.get_by_label("Nome del tablet (facoltativo)").fill(label)
    await page.get_by_role("button", name="Registra e mostra il codice").click()
    code = page.get_by_test_id("codice-abbinamento")
    await expect(code).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    if first:
        await screens.check(page, "ufficio-terminali-codice")
    return await code.inner_text()


async def pairs(page: Page, attendance: str, code: str, screens: Screens | None = None) -> None:
    await page.goto(f"{attendance}/terminale")
    await expect(page).to_have_url(f"{attendance}/terminale/abbina")
    if screens:
        await screens.check(page, "terminale-abbina")
    await page.get_by_label("Codice di abbinamento").fill(code.lower().replace("-", " "))
    await page.get_by_role("button", name="Abbina").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Oggi")
    await page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def pupil(page: Page, name: str) -> Any:
    return page.get_by_role("button", name=f"{name} assente")


async def taps(page: Page, name: str) -> None:
    await pupil(page, name).click()
    await expect(pupil(page, name)).to_have_attribute("aria-pressed", "true")


async def balances(accounts: str, ids: dict[str, str]) -> dict[str, int]:
    async with httpx.AsyncClient(timeout=15, headers=OFFICE) as http:
        return {
            surname: (await http.get(f"{accounts}/accounts/{ids[surname]}")).json()["balance"]["cents"]
            for surname in FAMILIES
        }


@pytest.mark.timeout(300)  # a whole morning at school: three browsers, eight pages
async def test_a_tablet_keeps_recording_offline_and_every_change_reaches_the_ledger_once(
    browsers: list[tuple[BrowserContext, Offline]],
    system: dict[str, ServiceProcess],
    infra: Infra,
    identity_provider: ProviderProcess,
    screens: Screens,
    tablet_screens: Screens,
) -> None:
    accounts, attendance = system["accounts"].url, system["attendance"].url
    school, ids = await a_school(system)
    (office, office_net), (first, first_net), (second, second_net) = browsers
    await office.add_cookies(
        [
            {
                "name": "refettorio_sessione",
                "value": await office_session(infra, accounts, identity_provider),
                "url": accounts,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )

    # The office registers the school's two tablets: a code each, shown once.
    desk = await office.new_page()
    await desk.goto(f"{accounts}/ufficio/terminali")
    await expect(desk.get_by_role("heading", level=1)).to_have_text("Terminali")
    await screens.check(desk, "ufficio-terminali")
    # A school typed wrong is refused beside the field, with what was typed kept.
    await desk.get_by_label("Scuola", exact=True).fill(f"{school}-refuso")
    await desk.get_by_role("button", name="Registra e mostra il codice").click()
    await expect(desk.get_by_role("alert")).to_contain_text(f"La scuola «{school}-refuso» non ha alunni iscritti")
    await expect(desk.get_by_label("Scuola", exact=True)).to_have_value(f"{school}-refuso")
    await expect(desk.get_by_test_id("codice-abbinamento")).to_have_count(0)
    first_code = await registers_a_tablet(desk, screens, "Refettorio A", school, first=True)
    second_code = await registers_a_tablet(desk, screens, "Refettorio B", school, first=False)

    # The first tablet pairs, and two children are absent.
    tablet = await first.new_page()
    await pairs(tablet, attendance, first_code, tablet_screens)
    await expect(tablet.get_by_role("link", name=re.compile("Classe 4A.*Da rilevare"))).to_be_visible()
    await tablet_screens.check(tablet, "terminale-oggi")
    await tablet.get_by_role("link", name=re.compile("Classe 4A")).click()
    await expect(tablet.get_by_role("heading", level=1)).to_have_text("Classe 4A")
    for name in ("Giulia R.", "Marco R."):
        await taps(tablet, name)
    status = tablet.get_by_role("status")
    await expect(status).to_contain_text("In coda: 0")
    await expect(status).to_contain_text("Sincronizzato alle")
    await expect(tablet.get_by_text("Dieta:")).to_have_count(0)  # every diet standard here
    await tablet_screens.check(tablet, "terminale-classe")

    # The network drops: the third absence and the close wait in the queue.
    await first.set_offline(True)
    await taps(tablet, "Sara B.")
    await expect(status).to_contain_text("In coda: 1")
    await expect(status).to_contain_text("Senza rete")
    await tablet_screens.check(tablet, "terminale-classe-senza-rete")
    await tablet.get_by_role("link", name="Chiudi la giornata").first.click()  # served by the service worker
    await expect(tablet.get_by_role("heading", level=1)).to_have_text("Chiudi la giornata")
    confirm = tablet.get_by_label(re.compile("Confermo che nelle classi non rilevate"))
    await tablet.get_by_text(re.compile("Confermo che nelle classi non rilevate")).click()  # its label, as a finger
    await expect(confirm).to_be_checked()
    await tablet.get_by_role("button", name="Chiudi la giornata").click()
    await expect(status).to_contain_text("In coda: 2")
    await expect(tablet.get_by_text("La chiusura è in coda")).to_be_visible()
    await tablet_screens.check(tablet, "terminale-chiusura-in-coda")

    # The network is back: the queue is replayed in order, each change once.
    await first.set_offline(False)
    await expect(status).to_contain_text("In coda: 0", timeout=20_000)
    await expect(tablet.get_by_text("3 pasti addebitati")).to_be_visible(timeout=20_000)
    await tablet_screens.check(tablet, "terminale-chiusura")
    await eventually(lambda: _charged(accounts, ids, {"Rossi": -450, "Bianchi": -900}), timeout=60)

    # The second tablet of the school sees the same day, and corrects it.
    other = await second.new_page()
    await pairs(other, attendance, second_code)
    await expect(other.get_by_role("link", name=re.compile(r"Classe 4A.*Chiusa \(3 assenti\)"))).to_be_visible()
    await other.get_by_role("link", name=re.compile("Classe 4A")).click()
    for name in ("Giulia R.", "Marco R.", "Sara B."):
        await expect(pupil(other, name)).to_have_attribute("aria-pressed", "true")
    await expect(pupil(other, "Anna B.")).to_have_attribute("aria-pressed", "false")
    await expect(pupil(other, "Anna B.")).to_be_disabled()  # closed: corrections only
    await tablet_screens.check(other, "terminale-classe-chiusa")
    await other.get_by_role("link", name="Correzioni").first.click()
    await other.get_by_label("Motivo").nth(0).fill("Febbre alle 12:30")  # Anna B., first in the class
    await other.get_by_role("button", name="Correggi Anna B.").click()
    await expect(other.get_by_role("status")).to_contain_text("In coda: 0")
    await tablet_screens.check(other, "terminale-correzioni")
    await eventually(lambda: _charged(accounts, ids, {"Rossi": -450, "Bianchi": -450}), timeout=60)

    # The office revokes the first tablet: at its next request it is back at the pairing page.
    await desk.goto(f"{accounts}/ufficio/terminali")
    await desk.get_by_role("button", name=f"Revoca Refettorio A di {school}").click()
    await expect(desk.get_by_text("Terminale «Refettorio A»")).to_contain_text("revocato")
    await screens.check(desk, "ufficio-terminali-revoca")
    # Shown one school: only its two tablets (other tests' schools have theirs).
    await desk.get_by_label("Mostra i terminali di").select_option(school)
    await desk.get_by_role("button", name="Mostra", exact=True).click()
    await expect(desk.locator("tbody tr")).to_have_count(2)
    await expect(desk.locator("tbody tr td:first-child")).to_have_text([school, school])
    await tablet.goto(f"{attendance}/terminale")
    await expect(tablet).to_have_url(f"{attendance}/terminale/abbina")
    await expect(tablet.get_by_text("Questo terminale non è più abilitato")).to_be_visible()
    await tablet_screens.check(tablet, "terminale-revocato")

    # A terminal's attempt on yesterday or next week is refused.
    await _not_today(other, attendance, ids["Giulia"])
    await _not_today_through_the_api(attendance, school, ids["Giulia"])
    assert [net.refused for net in (office_net, first_net, second_net)] == [[], [], []]


async def _charged(accounts: str, ids: dict[str, str], expected: dict[str, int]) -> bool:
    return await balances(accounts, ids) == expected


async def _not_today(page: Page, attendance: str, student: str) -> None:
    """The second tablet's own credential (its cookie), with the screen's CSRF token."""
    await page.goto(f"{attendance}/terminale")
    token = await page.evaluate("() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
    for day in (rome_today() - timedelta(days=1), rome_today() + timedelta(days=7)):
        refused = await page.request.post(
            f"{attendance}/terminale/classi/4A/alunni/{student}",
            form={"key": str(uuid.uuid4()), "day": day.isoformat(), "absent": "true"},
            headers={"X-CSRF-Token": token, "Accept": "application/json"},
        )
        assert refused.status == 403 and (await refused.json())["code"] == "solo_oggi", await refused.text()


async def _not_today_through_the_api(attendance: str, school: str, student: str) -> None:
    """A terminal's token on the JSON API: past days and future closures are the office's."""
    async with httpx.AsyncClient(timeout=15) as http:
        terminal = (
            await http.post(
                f"{attendance}/office/terminals",
                headers=SERVICE,
                json={"school_id": school},
                auth=ForPerson("attendance"),
            )
        ).json()
        bearer = {"Authorization": f"Bearer {terminal['token']}"}
        yesterday, next_week = rome_today() - timedelta(days=1), rome_today() + timedelta(days=7)
        attempts = [
            http.put(
                f"{attendance}/schools/{school}/days/{yesterday}/classes/4A/absences",
                headers=bearer,
                json={"absent_student_ids": [student]},
            ),
            http.post(f"{attendance}/schools/{school}/days/{yesterday}/close", headers=bearer),
            http.post(
                f"{attendance}/schools/{school}/days/{next_week}/closures",
                headers=bearer,
                json={"kind": "strike", "reason": "Sciopero annunciato"},
            ),
        ]
        for attempt in attempts:
            refused = await attempt
            assert refused.status_code == 403 and refused.json()["code"] == "solo_oggi", refused.text
