"""The parents' portal in a real browser (Playwright on Debian's Chromium), through the real
processes: the four services, the OIDC provider standing in for the Comune's SPID/CIE gateway,
Kafka and PostgreSQL. Every page of ours is checked by axe-core and photographed at 360 and
1280 px (testkit.browser); nothing reaches past the machine."""

import asyncio
import io
import re
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pypdfium2
import pytest
import zxingcpp
from playwright.async_api import Browser, BrowserContext, Locator, Page, expect

from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.domain.users import Role, User
from shared.db import make_engine
from shared.web.formatting import data_lunga
from testkit.acting import ForPerson
from testkit.browser import Offline, Screens, new_context
from testkit.data import rome_today, tax_code
from testkit.infra import Infra
from testkit.io import FakeIo
from testkit.kafka import eventually
from testkit.oidc import ProviderProcess, spid_claims
from testkit.processes import ServiceProcess
from testkit.smtp import Mailbox

from ..conftest import NODE_SECRET, OFFICE_TOKEN, SERVICE_TOKEN
from ..pagopa_node_simulator import CheckoutSimulator, NodeSimulator

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
        return self.offline.ours


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    made, offline = await new_context(browser)
    made.offline = offline  # type: ignore[attr-defined]
    yield made
    await made.close()


async def person(
    context: BrowserContext,
    system: dict[str, ServiceProcess],
    provider: ProviderProcess,
    code: str,
    name: tuple[str, str] = ("Mario", "Rossi"),
) -> Person:
    sub = f"spid-{uuid.uuid4().hex[:8]}"
    provider.add(sub, spid_claims(code, *name))
    return Person(await context.new_page(), context.offline, system["accounts"].url, sub)  # type: ignore[attr-defined]


async def register_family(accounts: str, holder: str, school: str, email: str | None = None) -> dict[str, Any]:
    body = {
        "holder_tax_code": holder,
        "holder_first_name": "Mario",
        "holder_last_name": "Rossi",
        "email": email or f"famiglia-{uuid.uuid4().hex[:8]}@example.it",
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
    """The office declares a strike at the school (through the gateway, which forwards it to
    attendance): the Scrivania announces it."""
    closure = {"service_date": day.isoformat(), "kind": "strike", "reason": "sciopero del personale"}
    async with httpx.AsyncClient(timeout=15) as http:
        declared = await http.post(
            f"{system['accounts'].url}/office/schools/{school}/closures", headers=OFFICE, json=closure
        )
    assert declared.status_code == 200, declared.text


@pytest.mark.timeout(300)
async def test_the_holder_announces_an_absence_tops_up_with_a_notice_and_sees_the_credit_arrive(
    context: BrowserContext, system: dict[str, ServiceProcess], identity_provider: ProviderProcess, screens: Screens
) -> None:
    """The issue's journey: SPID -> Scrivania -> an absence -> a € 20,00 notice, its PDF and QR ->
    paid at a counter through the node -> the open Scrivania shows it -> Movimenti -> CSV -> out."""
    holder, school = tax_code(), f"primaria-{uuid.uuid4().hex[:6]}"
    family = await register_family(system["accounts"].url, holder, school)
    account = family["account_id"]
    strike = next_weekday(rome_today())
    away = next_weekday(strike)
    await declare_strike(system, school, strike)
    await enrolled_at_school(system, school, away)
    mario = await person(context, system, identity_provider, holder)
    page = mario.page

    await page.goto(f"{mario.portal}/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mensa scolastica")
    for section in SECTIONS:
        await expect(page.get_by_role("main").get_by_role("heading", name=section, level=2)).to_be_visible()
    await screens.check(page, "mensa-scolastica")

    await mario.logs_in(screens)
    await expect(page).to_have_url(re.compile(f"/conti/{account}/scrivania$"))
    await expect(page.get_by_test_id("saldo")).to_have_text("€ 0,00")
    await expect(page.get_by_text("Credito in esaurimento")).to_be_visible()
    await expect(page.get_by_text(f"{data_lunga(strike)}: Sciopero, niente mensa per Giulia")).to_be_visible()
    await screens.check(page, "scrivania")

    await announces_and_withdraws_an_absence(mario, away, screens)
    number = await creates_a_notice_and_reads_its_qr(mario, account, 2000, screens)

    await page.get_by_role("navigation", name="Area personale").get_by_role("link", name="Scrivania").click()
    await page.evaluate("() => { window.sameDocument = true }")  # gone if the page reloads
    async with httpx.AsyncClient(timeout=15) as http:
        answer, _ = await NodeSimulator(system["payments"].url, NODE_SECRET, http=http).pay_at_counter(number)
    assert answer.outcome == "OK", answer.raw
    await expect(page.get_by_test_id("saldo")).to_have_text("€ 20,00", timeout=45_000)  # node -> Kafka -> poll
    assert await page.evaluate("() => window.sameDocument === true"), "the Scrivania reloaded"
    await expect(page.get_by_text("Basta ancora per 4 pasti")).to_be_visible()
    await expect(page.get_by_role("cell", name="Ricarica pagoPA")).to_be_visible()
    await screens.check(page, "scrivania-dopo-ricarica")

    await lists_the_top_up_and_downloads_the_csv(mario, account, number, screens)
    await page.get_by_role("button", name="Esci").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sei uscito dal portale")
    await screens.check(page, "uscita")
    await page.goto(f"{mario.portal}/scrivania")
    await expect(page).to_have_url(f"{mario.portal}/accedi")
    assert mario.refused_off_machine() == []


async def choose(page: Page, label: str) -> None:
    """Ticks a radio button or a box the way a person does, on its label (Bootstrap Italia draws
    the control over the label; the input itself is not where the pointer lands)."""
    await page.locator("label", has_text=label).click()
    await expect(page.get_by_label(label, exact=False)).to_be_checked()


async def downloaded(page: Page, control: Locator) -> bytes:
    """What the browser saves when `control` is clicked."""
    async with page.expect_download() as download:
        await control.click()
    saved = Path(await (await download.value).path())
    return await asyncio.to_thread(saved.read_bytes)


async def enrolled_at_school(system: dict[str, ServiceProcess], school: str, day: date) -> None:
    """Attendance has the child on its roster (`student-enrolled` went through Kafka)."""

    async def counted() -> bool:
        async with httpx.AsyncClient(timeout=10) as http:
            url = f"{system['attendance'].url}/office/schools/{school}/days/{day}/kitchen"
            found = await http.get(url, headers=SERVICE, auth=ForPerson("attendance"))
        return found.status_code == 200 and found.json()["total"] == 1

    await eventually(counted, timeout=45, interval=0.5)


async def announces_and_withdraws_an_absence(mario: Person, day: date, screens: Screens) -> None:
    page = mario.page
    await page.get_by_role("navigation", name="Area personale").get_by_role("link", name="Figli").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Figli")
    await page.goto(f"{page.url}?mese={day:%Y-%m}")
    await expect(page.get_by_text("Tariffa intera: € 4,50 a pasto")).to_be_visible()
    await screens.check(page, "figli")
    announce = page.get_by_role("button", name=f"Comunica l'assenza di Giulia per {data_lunga(day)}")
    await announce.click()
    await expect(page.get_by_role("status")).to_contain_text("Assenza comunicata")
    row = page.locator(f"#giorno-{day}")
    await expect(row).to_contain_text("Assenza comunicata")
    await screens.check(page, "figli-assenza-comunicata")
    await page.get_by_role("button", name=f"Ritira l'assenza di Giulia per {data_lunga(day)}").click()
    await expect(page.get_by_role("status")).to_contain_text("Assenza ritirata")
    await expect(row).to_contain_text("Giorno di mensa")
    await announce.click()
    await expect(row).to_contain_text("Assenza comunicata")


async def creates_a_notice_and_reads_its_qr(mario: Person, account: str, cents: int, screens: Screens) -> str:
    """Esegui ricarica -> a notice -> its PDF, whose QR code names the notice (pagoPA's payload)."""
    page = mario.page
    await page.get_by_role("navigation", name="Area personale").get_by_role("link", name="Esegui ricarica").click()
    await screens.check(page, "ricarica")
    await choose(page, "€ 20,00")
    await choose(page, "Crea l'avviso di pagamento")
    await page.get_by_role("button", name="Prosegui").click()
    await expect(page.get_by_role("status")).to_contain_text("Avviso creato")
    printed = (await page.get_by_test_id("codice-avviso").inner_text()).strip()
    number = printed.replace(" ", "")
    await screens.check(page, "avviso-creato")
    pdf = await downloaded(page, page.get_by_role("link", name="Scarica l'avviso (PDF)"))
    first = pypdfium2.PdfDocument(io.BytesIO(pdf))[0]
    assert "BANCHE E ALTRI CANALI" in first.get_textpage().get_text_range()
    [qr] = zxingcpp.read_barcodes(first.render(scale=3).to_pil())
    assert qr.text == f"PAGOPA|002|{number}|01234567897|{cents}", qr.text
    return number


async def lists_the_top_up_and_downloads_the_csv(mario: Person, account: str, number: str, screens: Screens) -> None:
    page = mario.page
    await page.get_by_role("navigation", name="Area personale").get_by_role("link", name="Movimenti").click()
    await expect(page.get_by_role("cell", name=f"Ricarica pagoPA avviso {number}")).to_be_visible()
    await screens.check(page, "movimenti")
    csv = (await downloaded(page, page.get_by_role("link", name="Scarica in CSV"))).decode()
    assert csv.startswith("data;causale;descrizione;importo;saldo") and f"avviso {number};20,00;20,00" in csv
    await page.get_by_role("navigation", name="Area personale").get_by_role("link", name="Avvisi di pagamento").click()
    await expect(page.get_by_role("row", name=re.compile(r"€ 20,00 .* Pagato"))).to_be_visible()
    await screens.check(page, "avvisi")


@pytest.mark.timeout(300)
async def test_the_holder_pays_online_cancels_a_notice_and_the_office_answers_her_question(
    context: BrowserContext,
    system: dict[str, ServiceProcess],
    identity_provider: ProviderProcess,
    screens: Screens,
    checkout: CheckoutSimulator,
    e2e_io: FakeIo,
    e2e_mailbox: Mailbox,
    infra: Infra,
) -> None:
    """Esegui ricarica online (sent to the app IO too) -> Checkout -> the outcome page shows the
    credit; a notice cancelled; Contatti, the 730; Assistenza: the family asks, the office answers
    from its page, the family is emailed."""
    holder, email = tax_code(), f"assistenza-{uuid.uuid4().hex[:8]}@example.it"
    with e2e_io.lock:
        e2e_io.citizens[holder] = True
    family = await register_family(system["accounts"].url, holder, f"primaria-{uuid.uuid4().hex[:6]}", email)
    account = family["account_id"]
    paid: list[str] = []
    checkout.pay = lambda number, cart: paid.append(_paid_online(system, number, cart))
    mario = await person(context, system, identity_provider, holder)
    page = mario.page
    await mario.logs_in()

    await page.goto(f"{mario.portal}/conti/{account}/ricarica")
    await choose(page, "Un altro importo")
    await page.get_by_label("Altro importo in euro").fill("15,50")
    await choose(page, "Paga subito online con pagoPA")
    await choose(page, "Invia l'avviso anche all'app IO")
    await page.get_by_role("button", name="Prosegui").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("pagoPA Checkout (simulatore)")
    await page.get_by_role("button", name="Paga").click()
    await expect(page.get_by_test_id("accredito")).to_have_text(
        "€ 15,50 sono sul conto della mensa: il saldo è ora € 15,50.", timeout=45_000
    )
    assert paid == ["OK"]
    await screens.check(page, "ricarica-esito")
    await eventually(lambda: bool(e2e_io.to(holder)), timeout=30)  # "invia all'app IO"

    await cancels_a_notice(mario, account, screens)
    await sees_contacts_and_the_730(mario, account, screens)
    await page.goto(f"{mario.portal}/conti/{account}/assistenza")
    await page.get_by_label("Il tuo messaggio").fill("Posso pagare a rate?")
    await page.get_by_role("button", name="Invia all'Ufficio Scuola").click()
    await expect(page.get_by_role("status")).to_contain_text("Messaggio inviato")
    await screens.check(page, "assistenza")
    await page.get_by_role("button", name="Esci").click()

    await the_office_answers(context, system, identity_provider, infra, account, screens)
    subject = "L'Ufficio Scuola ha risposto al suo messaggio"

    def replies() -> list[EmailMessage]:
        return [m for m in e2e_mailbox.to(email) if m["Subject"] == subject]

    await eventually(lambda: bool(replies()), timeout=45)
    [reply] = replies()
    assert "rate" not in reply.get_content() and "/assistenza" in reply.get_content()  # that, not what


def _paid_online(system: dict[str, ServiceProcess], number: str, cart: str) -> str:
    """What Checkout's "Paga" does (on the simulator's thread): the node activates and receives."""

    async def pay() -> str:
        async with httpx.AsyncClient(timeout=15) as http:
            answer, _ = await NodeSimulator(system["payments"].url, NODE_SECRET, http=http).pay_online(number, cart)
        return str(answer.outcome)

    return asyncio.run(pay())


async def cancels_a_notice(mario: Person, account: str, screens: Screens) -> None:
    page = mario.page
    await page.goto(f"{mario.portal}/conti/{account}/ricarica")
    await choose(page, "€ 10,00")
    await choose(page, "Crea l'avviso di pagamento")
    await page.get_by_role("button", name="Prosegui").click()
    printed = (await page.get_by_test_id("codice-avviso").inner_text()).strip()
    await page.get_by_role("link", name="Tutti gli avvisi").click()
    await page.get_by_role("button", name=f"Annulla l'avviso {printed}").click()
    await expect(page.get_by_role("status")).to_contain_text("Avviso annullato")
    await expect(page.get_by_role("row", name=re.compile(f"{printed} .*(In annullamento|Annullato)"))).to_be_visible()
    await screens.check(page, "avvisi-annullato")


async def sees_contacts_and_the_730(mario: Person, account: str, screens: Screens) -> None:
    page = mario.page
    await (
        page.get_by_role("navigation", name="Area personale").get_by_role("link", name="Contatti e preferenze").click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Contatti e preferenze")
    await screens.check(page, "contatti")
    await page.get_by_role("navigation", name="Area personale").get_by_role("link", name="Dichiarazione 730").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dichiarazione per il 730")
    await screens.check(page, "dichiarazione")
    assert (await downloaded(page, page.get_by_role("button", name="Scarica la dichiarazione (PDF)"))).startswith(
        b"%PDF"
    )


async def the_office_answers(
    context: BrowserContext,
    system: dict[str, ServiceProcess],
    provider: ProviderProcess,
    infra: Infra,
    account: str,
    screens: Screens,
) -> None:
    """A staff member (registered by fiscal code, as the back-office will) answers from /ufficio/assistenza."""
    staff_code = tax_code()
    engine = make_engine(infra.database_urls["accounts"])
    try:
        uow = SqlAccountsUnitOfWork(engine, "accounts", "")
        async with uow:
            await uow.users.add(
                User(uuid.uuid4(), Role.OPERATOR, tax_code=staff_code, email=f"{uuid.uuid4().hex}@comune.it")
            )
            await uow.commit()
    finally:
        await engine.dispose()
    office = await person(context, system, provider, staff_code, ("Giovanna", "Neri"))
    page = office.page
    await office.logs_in()
    await page.goto(f"{office.portal}/ufficio/assistenza")
    await expect(page.get_by_role("row", name=re.compile("Mario Rossi In attesa dal"))).not_to_have_count(0)
    await screens.check(page, "ufficio-assistenza")
    await page.goto(f"{office.portal}/ufficio/assistenza/{account}")
    await expect(page.get_by_text("Posso pagare a rate?")).to_be_visible()
    await expect(page.get_by_test_id("saldo")).to_have_text("€ 15,50")
    await page.get_by_label("Risposta").fill("Sì, con più avvisi di pagamento.")
    await page.get_by_role("button", name="Rispondi alla famiglia").click()
    await expect(page.get_by_role("status")).to_contain_text("Risposta inviata")
    await screens.check(page, "ufficio-conversazione")


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
    assert "7,00" not in body and "9,00" not in body  # neither the balance nor a movement to add up
    assert await page.get_by_role("columnheader", name="Saldo").count() == 0
    assert await page.get_by_role("heading", name="Il saldo negli ultimi mesi").count() == 0
    assert await page.get_by_role("link", name="Movimenti").count() == 0
    await screens.check(page, "scrivania-tutore")
    for link, screen in (("Figli", "figli-tutore"), ("Avvisi di pagamento", "avvisi-tutore")):
        await page.get_by_role("navigation", name="Area personale").get_by_role("link", name=link).click()
        assert "7,00" not in await page.locator("main").inner_text()
        await screens.check(page, screen)
    refused = await page.goto(f"{anna.portal}/conti/{account}/movimenti")
    assert refused is not None and refused.status == 403
    await expect(page.get_by_text("visibili solo al titolare del conto")).to_be_visible()
    await screens.check(page, "movimenti-tutore")

    await page.goto(f"{anna.portal}/conti/{account}/scrivania")
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
    for screen in (
        "figli",
        "movimenti",
        "movimenti.csv",
        "ricarica",
        "avvisi",
        "dichiarazione",
        "contatti",
        "assistenza",
    ):
        elsewhere = await context.request.get(f"{mario.portal}/conti/{theirs['account_id']}/{screen}")
        assert elsewhere.status == 404, screen

    # A form posted from elsewhere carries the session cookie but not the page's token.
    refused = await context.request.post(f"{mario.portal}/esci", form={"motivo": "nessun token"})
    assert refused.status == 403 and "ricarica la pagina" in await refused.text()
    top_up = f"{mario.portal}/conti/{mine['account_id']}/ricarica"
    forged = await context.request.post(top_up, form={"importo": "2000", "modo": "avviso"})
    assert forged.status == 403 and "ricarica la pagina" in await forged.text()
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
