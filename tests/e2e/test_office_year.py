"""Chiusura anno scolastico in a real browser through the real processes: a responsabile
previews the closing family by family, forces it before July with a reason, watches the
progress bar of the job the service runs in the background, reads the report, downloads the
refunds as a pain.001 (valid against its XSD, exactly the refunds with an IBAN) and as CSV; the
audit log names the person. Every screen is checked by axe and photographed (testkit.browser)."""

import asyncio
import uuid
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
import sepaxml
import xmlschema
from playwright.async_api import BrowserContext, Page, expect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.domain.users import Role
from shared.db import make_engine
from shared.school_year import SchoolYear
from testkit.browser import Screens
from testkit.data import rome_today, tax_code
from testkit.infra import Infra
from testkit.oidc import ProviderProcess
from testkit.processes import ServiceProcess

from ..conftest import OFFICE_TOKEN, TREASURY_IBAN
from .test_office import contexts, logs_in, registered_staff

__all__ = ["contexts"]  # the browsers' fixture, shared with the office's journey
OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
PAIN_001 = xmlschema.XMLSchema(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd")
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
IBAN = "IT60X0542811101000000123456"
REASON = "Collaudo: chiusura anticipata dell'anno per la verifica del tesoriere"


async def family(http: httpx.AsyncClient, surname: str, year: SchoolYear, cents: int, iban: str | None) -> str:
    body = {
        "holder_tax_code": tax_code(),
        "holder_first_name": "Anna",
        "holder_last_name": surname,
        "iban": iban,
        "students": [
            {
                "tax_code": tax_code(year=2016),
                "first_name": "Luca",
                "last_name": surname,
                "school_year": str(year),
                "school_id": "primaria-chiusura",
                "class_id": "5A",
            }
        ],
    }
    created = await http.post("/office/families", json=body, headers=OFFICE)
    assert created.status_code == 201, created.text
    account: str = created.json()["account_id"]
    booked = await http.post(
        f"/office/accounts/{account}/adjustments",
        json={"amount_cents": cents, "reason": "Saldo di prova"},
        headers=OFFICE,
    )
    assert booked.status_code == 201, booked.text
    return account


async def previews_and_forces(page: Page, screens: Screens, surnames: dict[str, str]) -> None:
    await (
        page.get_by_role("navigation", name="Menu dell'Ufficio Scuola")
        .get_by_role("link", name="Chiusura anno")
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Chiusura anno scolastico")
    await page.get_by_label("Cerca una famiglia (titolare)", exact=True).fill(surnames["refund"].split("-")[1])
    await page.get_by_role("button", name="Cerca").click()
    preview = page.get_by_test_id("anteprima")
    refunded = preview.get_by_role("row").filter(has_text=surnames["refund"])
    await expect(refunded).to_contain_text("Rimborso di € 42,50")
    await expect(refunded).to_contain_text(IBAN)
    await expect(preview.get_by_role("row").filter(has_text=surnames["no_iban"])).to_contain_text("IBAN mancante")
    await expect(preview.get_by_role("row").filter(has_text=surnames["debt"])).to_contain_text("Debito riportato")
    await expect(page.get_by_text("solo un responsabile può chiuderlo")).to_be_visible()
    await screens.check(page, "ufficio-chiusura-anno")
    await page.get_by_role("button", name="Forza la chiusura").click()  # no reason: refused, nothing starts
    await expect(page.get_by_role("alert").first).to_contain_text("indicando il motivo")
    await page.get_by_label("Motivo della chiusura anticipata (obbligatorio)", exact=True).fill(REASON)
    await page.get_by_role("button", name="Forza la chiusura").click()


async def watches_the_progress(page: Page, screens: Screens, held: AsyncConnection, year: str) -> None:
    """The job waits at the account the test holds locked: the bar shows how far it got, and a
    reload finds it still going (it is the service's, not the page's); released, it finishes
    and the page (polling it) shows the report."""
    bar = page.get_by_role("progressbar", name="Avanzamento della chiusura")
    await expect(bar).to_be_visible()
    await expect(page.get_by_text("La chiusura continua anche se chiudi o ricarichi la pagina")).to_be_visible()
    await screens.check(page, "ufficio-chiusura-anno-avanzamento")
    await page.reload()
    await expect(bar).to_be_visible()
    await held.rollback()
    closed = page.get_by_test_id("anno-chiuso")
    await expect(closed).to_contain_text(f"L'anno scolastico {year} è chiuso", timeout=60_000)
    await expect(closed).to_contain_text("Paolo Gialli")
    await expect(bar).to_have_count(0)


async def downloads(page: Page, name: str, folder: Path) -> bytes:
    """The file the link downloads, as the browser saved it."""
    async with page.expect_download() as started:
        await page.get_by_role("link", name=name).click()
    saved = folder / (await started.value).suggested_filename
    await (await started.value).save_as(saved)
    return await asyncio.to_thread(saved.read_bytes)


@pytest.mark.timeout(300)  # a whole year closed in batches, watched through a reload
async def test_a_responsabile_closes_the_year_and_exports_the_refunds(
    contexts: list[BrowserContext],
    system: dict[str, ServiceProcess],
    identity_provider: ProviderProcess,
    infra: Infra,
    screens: Screens,
    tmp_path: Path,
) -> None:
    portal, year = system["accounts"].url, SchoolYear.of(rome_today())
    tag = uuid.uuid4().hex[:6]
    surnames = {"refund": f"Rimborsi-{tag}", "no_iban": f"Senzaiban-{tag}", "debt": f"Debiti-{tag}"}
    async with httpx.AsyncClient(base_url=portal, timeout=30) as http:
        refund = await family(http, surnames["refund"], year, 4250, IBAN)
        no_iban = await family(http, surnames["no_iban"], year, 1200, None)
        await family(http, surnames["debt"], year, -900, IBAN)
        manager = await logs_in(
            contexts[0], portal, await registered_staff(infra, identity_provider, Role.MANAGER, "Paolo Gialli")
        )
        engine = make_engine(infra.database_urls["accounts"], pool_size=1)
        try:
            async with engine.connect() as held:
                await held.execute(text("SELECT id FROM account WHERE id = :id FOR UPDATE"), {"id": refund})
                await previews_and_forces(manager, screens, surnames)
                await watches_the_progress(manager, screens, held, str(year))
        finally:
            await engine.dispose()
        await screens.check(manager, "ufficio-chiusura-anno-resoconto")
        await expect(manager.get_by_test_id("iban-mancante")).to_contain_text(surnames["no_iban"])

        xml = await downloads(manager, "Scarica il file SEPA per la tesoreria (pain.001)", tmp_path)
        PAIN_001.validate(xml.decode())
        document = ElementTree.fromstring(xml)
        assert document.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == TREASURY_IBAN
        to_pay = (await http.get("/office/refunds", headers=OFFICE)).json()
        ours = {r["account_id"]: r for r in to_pay if r["account_id"] in (refund, no_iban)}
        sent = {tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for tx in document.iterfind(".//p:CdtTrfTxInf", NS)}
        assert sent == {uuid.UUID(r["refund_id"]).hex for r in to_pay if r["iban"]}  # exactly those with an IBAN
        assert (
            uuid.UUID(ours[refund]["refund_id"]).hex in sent and uuid.UUID(ours[no_iban]["refund_id"]).hex not in sent
        )
        ours_tx = next(
            tx
            for tx in document.iterfind(".//p:CdtTrfTxInf", NS)
            if tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == uuid.UUID(ours[refund]["refund_id"]).hex
        )
        assert ours_tx.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "42.50"
        assert ours_tx.findtext("p:Cdtr/p:Nm", namespaces=NS) == f"Anna {surnames['refund']}"
        spreadsheet = (await downloads(manager, "Scarica l'elenco dei rimborsi (CSV)", tmp_path)).decode("utf-8-sig")
        assert any(surnames["no_iban"] in line and "IBAN mancante" in line for line in spreadsheet.splitlines())

    await manager.goto(f"{portal}/ufficio/chiusura-anno")  # a second look: closed, nothing to do again
    await expect(manager.get_by_test_id("anno-chiuso")).to_contain_text("Una nuova chiusura non cambierebbe nulla")
    await manager.goto(f"{portal}/ufficio/registro")
    log = manager.get_by_role("main")
    for what in ("Chiusura anno scolastico avviata", "Anno scolastico chiuso", "Rimborsi esportati per la tesoreria"):
        await expect(log.get_by_role("row").filter(has_text=what).filter(has_text="Paolo Gialli").first).to_be_visible()
    await expect(log.get_by_text(REASON).first).to_be_visible()
    await screens.check(manager, "ufficio-chiusura-anno-registro")
