"""Morosità e solleciti and Comunicazioni in a real browser through the real processes and the
real SMTP server the notifications process sends to: an operatore writes to a class, sees who
will get it and the family that refused email (diniego), sends it; the families that did not
refuse get it, the one that did does not, and the report says so. A family in debt is listed in
Morosità; "Sollecita ora" reaches its mailbox once and shows in the list. Every screen passes axe
and is photographed (testkit.browser)."""

import uuid
from collections.abc import AsyncIterator, Callable
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, expect

from accounts.domain.users import Role
from shared.school_year import SchoolYear
from testkit.browser import Offline, Screens, new_context
from testkit.data import rome_today, tax_code
from testkit.infra import Infra
from testkit.kafka import eventually
from testkit.oidc import ProviderProcess
from testkit.processes import ServiceProcess
from testkit.smtp import Mailbox

from ..conftest import OFFICE_TOKEN
from .test_office import logs_in, registered_staff

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SUBJECT = "Uscita didattica della 4A"
TEXT = "Venerdì la classe 4A pranza al sacco durante l'uscita: il pasto non sarà addebitato."
REMINDER = "Sollecito di pagamento del servizio mensa"


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    made, offline = await new_context(browser)
    yield made
    await made.close()
    assert isinstance(offline, Offline) and offline.ours == [], offline.ours  # nothing of ours left the machine


async def new_family(http: httpx.AsyncClient, surname: str, school: str, class_id: str, **contacts: Any) -> str:
    body = {
        "holder_tax_code": tax_code(),
        "holder_first_name": "Famiglia",
        "holder_last_name": surname,
        "email": f"{surname.lower()}@example.it",
        "students": [
            {
                "tax_code": tax_code(year=2017),
                "first_name": "Alunno",
                "last_name": surname,
                "school_year": str(SchoolYear.of(rome_today())),
                "school_id": school,
                "class_id": class_id,
            }
        ],
    } | contacts
    created = await http.post("/office/families", json=body, headers=OFFICE)
    assert created.status_code == 201, created.text
    return str(created.json()["account_id"])


async def known_to_notifications(http: httpx.AsyncClient, school: str, families: int, refusing: int) -> None:
    """Until notifications projected the families' enrolments and contacts (asked as the page asks)."""
    audience = {"school_id": school, "class_id": "4A", "message": TEXT, "channels": ["email"]}

    async def counted() -> bool:
        answer = (await http.post("/office/broadcasts/preview", json=audience, headers=OFFICE)).json()
        [email] = answer["audience"]["channels"]
        return bool(answer["audience"]["families"] == families and email["opted_out"] == refusing)

    await eventually(counted, timeout=60)


async def mail(mailbox: Mailbox, address: str, subject: str) -> list[EmailMessage]:
    async def arrived() -> list[EmailMessage]:
        return [m for m in mailbox.to(address) if m["Subject"] == subject]

    found: list[EmailMessage] = await eventually(arrived, timeout=60)
    return found


async def reloaded_until(page: Page, where: Locator, wanted: Callable[[str], bool]) -> None:
    """Until `where`'s text is as `wanted` (the page reads the log when it loads: it is reloaded)."""

    async def shown() -> bool:
        await page.reload()
        return await where.count() == 1 and wanted(await where.inner_text())

    await eventually(shown, timeout=60, interval=1.0)


async def writes_to_a_class(page: Page, screens: Screens, school: str) -> None:
    await (
        page.get_by_role("navigation", name="Menu dell'Ufficio Scuola")
        .get_by_role("link", name="Comunicazioni")
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Comunicazioni")
    await screens.check(page, "ufficio-comunicazioni")
    await page.locator("label[for=campo-destinatari-classe]").click()  # Bootstrap Italia draws the radio on its label
    await page.get_by_label("Scuola (codice)", exact=True).fill(school)
    await page.get_by_label("Classe", exact=True).fill("4A")
    await page.get_by_label("Oggetto", exact=True).fill(SUBJECT)
    await page.get_by_label("Testo del messaggio", exact=True).fill(TEXT)
    await page.get_by_role("button", name="Anteprima e conteggio").click()
    preview = page.get_by_test_id("anteprima")
    await expect(preview.get_by_role("status")).to_have_text("3 famiglie tra i destinatari.")
    await expect(page.get_by_test_id("conteggio-email").get_by_role("cell")).to_have_text(["2", "1", "0"])
    await expect(preview).to_contain_text(TEXT)
    await screens.check(page, "ufficio-comunicazioni-anteprima")
    await page.get_by_role("button", name="Invia la comunicazione").click()
    await expect(page.get_by_role("status")).to_contain_text("Comunicazione inviata")


@pytest.mark.timeout(300)  # two journeys through four services and the mail catcher
async def test_an_operatore_writes_to_a_class_and_reminds_a_family_in_debt(
    context: BrowserContext,
    system: dict[str, ServiceProcess],
    identity_provider: ProviderProcess,
    infra: Infra,
    screens: Screens,
    e2e_mailbox: Mailbox,
) -> None:
    portal, school, tag = system["accounts"].url, f"primaria-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex[:6]
    alfa, beta, gamma, delta = (f"{name}{tag}" for name in ("Alfa", "Beta", "Gamma", "Delta"))
    async with httpx.AsyncClient(base_url=portal, timeout=30) as http:
        for surname, class_id, refuses in (
            (alfa, "4A", False),
            (beta, "4A", True),
            (gamma, "4A", False),
            (delta, "3B", False),
        ):
            await new_family(http, surname, school, class_id, email_opt_out=refuses)
        await known_to_notifications(http, school, families=3, refusing=1)
        epsilon = f"Epsilon{tag}"
        owing = await new_family(http, epsilon, school, "5C")
        for _ in range(2):  # € 99,00 in two debits below the approval threshold
            debit = {"amount_cents": -4950, "reason": "Pasti di ottobre non addebitati"}
            key = {"Idempotency-Key": uuid.uuid4().hex}
            assert (
                await http.post(f"/office/accounts/{owing}/adjustments", json=debit, headers=OFFICE | key)
            ).status_code == 201
    await mail(e2e_mailbox, f"{epsilon.lower()}@example.it", "Conto mensa in negativo")  # notifications knows the debt

    operator = await logs_in(
        context, portal, await registered_staff(infra, identity_provider, Role.OPERATOR, "Giovanna Neri")
    )
    await writes_to_a_class(operator, screens, school)
    for surname in (alfa, gamma):
        [message] = await mail(e2e_mailbox, f"{surname.lower()}@example.it", SUBJECT)
        assert TEXT in message.get_content() and f"famiglia {surname}" in message.get_content()
    report = operator.get_by_test_id("resoconto-email")
    counts = ["2", "0", "1", "0", "0"]  # sent, failed, diniego, unreachable, waiting
    await reloaded_until(operator, report, lambda text: text.split("\t")[1:] == counts)
    assert e2e_mailbox.to(f"{beta.lower()}@example.it") == [] and e2e_mailbox.to(f"{delta.lower()}@example.it") == []
    await screens.check(operator, "ufficio-comunicazioni-resoconto")

    await (
        operator.get_by_role("navigation", name="Menu dell'Ufficio Scuola").get_by_role("link", name="Morosità").click()
    )
    await operator.get_by_label("Titolare (nome o cognome)", exact=True).fill(epsilon)  # earlier runs' debtors too
    await operator.get_by_role("button", name="Cerca", exact=True).click()
    await expect(operator.get_by_text("1 famiglia con il saldo negativo")).to_be_visible()
    row = operator.get_by_role("row").filter(has=operator.get_by_role("link", name=f"Famiglia {epsilon}"))
    await expect(row.get_by_test_id("debito")).to_have_text("€ 99,00")
    await expect(row).to_contain_text("Nessuno")
    await screens.check(operator, "ufficio-morosita")
    await row.locator(f"label[for=conto-{owing}]").click()
    await operator.get_by_role("button", name="Sollecita ora le famiglie scelte").click()
    await expect(operator.get_by_role("status")).to_contain_text("Solleciti inviati")
    [reminder] = await mail(e2e_mailbox, f"{epsilon.lower()}@example.it", REMINDER)
    assert "€ 99,00" in reminder.get_content()
    sent = row.get_by_role("cell").nth(4)
    await reloaded_until(operator, sent, lambda text: "Email" in text)
    await expect(sent).to_contain_text("Inviato")
    await screens.check(operator, "ufficio-morosita-sollecito")

    await operator.goto(f"{portal}/ufficio/registro?azione=broadcast")
    await expect(operator.get_by_role("main").get_by_text("Giovanna Neri").first).to_be_visible()
    await operator.goto(f"{portal}/ufficio/registro?conto={owing}")
    logged = operator.get_by_role("row").filter(has=operator.get_by_role("cell", name="Sollecito inviato famiglia"))
    await expect(logged).to_contain_text("Giovanna Neri")

    async with httpx.AsyncClient(
        base_url=portal, timeout=30
    ) as http:  # paid back: the list stays short for the next run
        for _ in range(2):
            credit = {"amount_cents": 4950, "reason": "Debito saldato (fine del test)"}
            key = {"Idempotency-Key": uuid.uuid4().hex}
            assert (
                await http.post(f"/office/accounts/{owing}/adjustments", json=credit, headers=OFFICE | key)
            ).status_code == 201
