"""The back-office (`/ufficio`) in a real browser through the real processes: named staff log in
with SPID through the OIDC provider process, a responsabile registers a family with two children
and records 10 paper vouchers (receipt as PDF), an operatore's adjustment above the threshold waits
and is booked once a responsabile approves it, and the audit log names each of them. Every screen
is checked by axe and photographed (testkit.browser)."""

import re
import uuid
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from accounts.adapters.argon2_passwords import Argon2Passwords
from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.domain.users import Principal, Role
from accounts.handlers import users
from shared.db import make_engine
from testkit.browser import Offline, Screens, new_context
from testkit.data import tax_code
from testkit.infra import Infra
from testkit.oidc import ProviderProcess, spid_claims
from testkit.processes import ServiceProcess

INSTALLER = Principal(None, Role.ADMIN, name="Installazione")  # registers the first administrator


async def registered_staff(infra: Infra, provider: ProviderProcess, role: Role, name: str) -> str:
    """A member of staff as an administrator registers them (by fiscal code), with an identity
    at the SPID stand-in: the provider's `sub` to pick."""
    code, (first, last) = tax_code(), name.split(" ", 1)
    engine = make_engine(infra.database_urls["accounts"], pool_size=1)
    try:
        new = users.NewStaff(code, None, name, role)
        await users.create_staff(SqlAccountsUnitOfWork(engine, "accounts"), Argon2Passwords(), INSTALLER, new)
    finally:
        await engine.dispose()
    sub = f"staff-{uuid.uuid4().hex[:8]}"
    provider.add(sub, spid_claims(code, first, last))
    return sub


@pytest.fixture
async def contexts(browser: Browser) -> AsyncIterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    recorders: list[Offline] = []
    for _ in range(3):  # one browser each: a responsabile, an operatore, an amministratore
        context, offline = await new_context(browser)
        made.append(context)
        recorders.append(offline)
    yield made
    for context in made:
        await context.close()
    assert all(r.ours == [] for r in recorders), [r.ours for r in recorders]  # nothing of ours left the machine


async def logs_in(context: BrowserContext, portal: str, sub: str) -> Page:
    page = await context.new_page()
    await page.goto(f"{portal}/accedi")
    await page.get_by_role("link", name="Entra con SPID").click()
    await page.get_by_placeholder("sub").fill(sub)
    await page.get_by_role("button", name="Authorize").click()
    await expect(page).to_have_url(f"{portal}/ufficio")
    return page


async def registers_a_family(page: Page, screens: Screens, school: str) -> tuple[str, str]:
    """The family's account and the first child's fiscal code."""
    codes = [tax_code(year=2017), tax_code(year=2018)]
    await page.get_by_role("navigation", name="Menu dell'Ufficio Scuola").get_by_role("link", name="Famiglie").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Famiglie")
    await screens.check(page, "ufficio-famiglie")
    await page.get_by_role("link", name="Nuova famiglia").click()
    await page.get_by_label("Codice fiscale del titolare", exact=True).fill(tax_code())
    await page.get_by_label("Nome", exact=True).fill("Elena")
    await page.get_by_label("Cognome", exact=True).fill("Martini")
    await page.get_by_label("Email", exact=True).fill(f"martini-{uuid.uuid4().hex[:6]}@example.it")
    for n, child in enumerate(("Sofia", "Tommaso")):
        if n:
            await page.get_by_role("button", name="Aggiungi un altro alunno").click()
        fields = page.get_by_role("group", name=f"Alunno {n + 1}")
        await fields.get_by_label("Codice fiscale dell'alunno", exact=True).fill(codes[n])
        await fields.get_by_label("Nome dell'alunno", exact=True).fill(child)
        await fields.get_by_label("Cognome dell'alunno", exact=True).fill("Martini")
        await fields.get_by_label("Scuola (codice)", exact=True).fill(school)
        await fields.get_by_label("Classe", exact=True).fill(f"{3 - n}A")
    await screens.check(page, "ufficio-famiglia-nuova")
    await page.get_by_role("button", name="Registra la famiglia").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Elena Martini")
    await expect(page.get_by_test_id("saldo")).to_have_text("€ 0,00")
    match = re.search(r"/ufficio/famiglie/([0-9a-f-]{36})", page.url)
    assert match, page.url
    return match[1], codes[0]


async def records_paper_vouchers(page: Page, screens: Screens, portal: str, form_number: str, child: str) -> None:
    await page.goto(f"{portal}/ufficio/buoni")
    await page.get_by_label("Alunno: nome, cognome o codice fiscale", exact=True).fill(child)  # by fiscal code
    await page.get_by_role("button", name="Cerca l'alunno").click()
    await page.get_by_role("link", name="Sofia Martini").click()
    await page.get_by_label("Numero del modulo", exact=True).fill(form_number)
    await page.get_by_label("Numero di buoni restituiti", exact=True).fill("10")
    await page.get_by_label("Valore di ciascun buono (€)", exact=True).fill("4,50")
    await screens.check(page, "ufficio-buoni")
    await page.get_by_role("button", name="Accredita i buoni").click()
    await expect(page.get_by_role("status")).to_contain_text("Accreditati € 45,00")
    await screens.check(page, "ufficio-buoni-esito")
    receipt = await page.request.get(f"{portal}/ufficio/buoni/{form_number}/ricevuta.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    assert (await receipt.body()).startswith(b"%PDF")


async def asks_for_an_adjustment(page: Page, screens: Screens, portal: str, account: str) -> None:
    await page.goto(f"{portal}/ufficio/famiglie/{account}/rettifica")
    await page.locator("label[for=campo-direction-accredito]").click()  # Bootstrap Italia draws the radio on its label
    await expect(page.get_by_label("Accredito (il saldo sale)", exact=True)).to_be_checked()
    await page.get_by_label("Importo (€)", exact=True).fill("80,00")
    await page.get_by_label("Motivo (obbligatorio)", exact=True).fill("Pasti pagati due volte a ottobre")
    await page.get_by_role("button", name="Anteprima del nuovo saldo").click()
    await expect(page.get_by_test_id("nuovo-saldo")).to_have_text("€ 125,00")
    await expect(page.get_by_text("resterà in attesa dell'approvazione")).to_be_visible()
    await screens.check(page, "ufficio-rettifica")
    await page.get_by_role("button", name="Registra la rettifica").click()
    await expect(page.get_by_role("status")).to_contain_text("in attesa dell'approvazione")
    await expect(page.get_by_role("button", name="Approva")).to_have_count(0)  # an operatore does not decide


async def test_staff_run_a_family_vouchers_and_an_approved_adjustment(
    contexts: list[BrowserContext],
    system: dict[str, ServiceProcess],
    identity_provider: ProviderProcess,
    infra: Infra,
    screens: Screens,
) -> None:
    portal, school = system["accounts"].url, f"primaria-{uuid.uuid4().hex[:6]}"
    manager = await logs_in(
        contexts[0], portal, await registered_staff(infra, identity_provider, Role.MANAGER, "Paolo Gialli")
    )
    await expect(manager.get_by_role("heading", level=1)).to_have_text("Ufficio Scuola")
    await screens.check(manager, "ufficio-home")
    account, sofia = await registers_a_family(manager, screens, school)
    await screens.check(manager, "ufficio-famiglia")
    form_number = f"M-{uuid.uuid4().hex[:6]}"
    await records_paper_vouchers(manager, screens, portal, form_number, sofia)

    operator = await logs_in(
        contexts[1], portal, await registered_staff(infra, identity_provider, Role.OPERATOR, "Giovanna Neri")
    )
    await asks_for_an_adjustment(operator, screens, portal, account)
    await screens.check(operator, "ufficio-rettifiche-attesa")

    await manager.goto(f"{portal}/ufficio/rettifiche")
    await screens.check(manager, "ufficio-rettifiche")
    ours = manager.get_by_role("row").filter(has=manager.locator(f'a[href="/ufficio/famiglie/{account}"]'))
    await ours.get_by_role("button", name="Approva").click()
    await expect(manager.get_by_role("status")).to_contain_text("Rettifica approvata")
    await manager.goto(f"{portal}/ufficio/famiglie/{account}")
    await expect(manager.get_by_test_id("saldo")).to_have_text("€ 125,00")
    await screens.check(manager, "ufficio-famiglia-dopo")

    await manager.goto(f"{portal}/ufficio/registro?conto={account}")
    log = manager.get_by_role("main")
    for who in ("Paolo Gialli", "Giovanna Neri"):
        await expect(log.get_by_text(who).first).to_be_visible()
    await screens.check(manager, "ufficio-registro")
    await manager.goto(f"{portal}/ufficio/tariffe")
    await expect(manager.get_by_role("heading", level=1)).to_contain_text("Tariffe dell'anno scolastico")
    await screens.check(manager, "ufficio-tariffe")

    admin = await logs_in(
        contexts[2], portal, await registered_staff(infra, identity_provider, Role.ADMIN, "Carla Blu")
    )
    await admin.goto(f"{portal}/ufficio/utenti")
    await admin.get_by_label("Nome o codice fiscale", exact=True).fill("giovanna ner")  # a part, any case
    await admin.get_by_role("button", name="Cerca", exact=True).click()
    await expect(admin.get_by_role("cell", name="Giovanna Neri", exact=True).first).to_be_visible()
    await expect(admin.get_by_role("cell", name="Carla Blu", exact=True)).to_have_count(0)
    await screens.check(admin, "ufficio-utenti")
    assert (await operator.request.get(f"{portal}/ufficio/utenti")).status == 403
