"""The office's dashboard (Cruscotto) and a receipt anomaly resolved in a real browser, through
the real processes: after a day with one school closed and one not, a dead letter in a `.dlq`
topic of the run and a duplicate receipt sent through the node's real SOAP endpoint, a
responsabile sees the dashboard, opens the anomaly and credits it; the balance follows, once.
Every screen is checked by axe and photographed (testkit.browser)."""

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from accounts.domain.users import Role
from shared.school_year import SchoolYear
from testkit.acting import ForPerson
from testkit.browser import Screens, new_context
from testkit.data import rome_today, tax_code
from testkit.infra import Infra
from testkit.kafka import eventually, publish
from testkit.oidc import ProviderProcess
from testkit.processes import ServiceProcess

from ..conftest import NODE_SECRET, OFFICE_TOKEN, SERVICE_TOKEN
from ..pagopa_node_simulator import NodeSimulator, ReceiptData
from .test_office import logs_in, registered_staff

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
EVERY_DAY = {"service_weekdays": [1, 2, 3, 4, 5, 6, 7], "cutoff": "09:30:00", "timezone": "Europe/Rome"}


@pytest.fixture
async def context(browser: Any) -> AsyncIterator[BrowserContext]:
    made, offline = await new_context(browser)
    yield made
    await made.close()
    assert offline.ours == [], offline.ours  # nothing of ours left the machine


async def a_family(http: httpx.AsyncClient, accounts: str, school: str) -> str:
    """A family with one child in `school`'s class 1A."""
    child = {"tax_code": tax_code(year=2018), "first_name": "Irene", "last_name": "Fontana"}
    child |= {"school_year": str(SchoolYear.of(rome_today())), "school_id": school, "class_id": "1A"}
    body = {"holder_tax_code": tax_code(), "holder_first_name": "Laura", "holder_last_name": "Fontana"}
    created = await http.post(f"{accounts}/office/families", headers=OFFICE, json=body | {"students": [child]})
    assert created.status_code == 201, created.text
    return str(created.json()["account_id"])


async def one_school_closed(http: httpx.AsyncClient, attendance: str, schools: list[str]) -> None:
    """Both schools serve every day; both know their child; the first closes today, not the second."""
    staff = ForPerson("attendance")
    for school in schools:
        url = f"{attendance}/office/schools/{school}/calendar"
        assert (await http.put(url, json=EVERY_DAY, headers=SERVICE, auth=staff)).status_code == 204

    async def roster_known() -> bool:
        for school in schools:
            url = f"{attendance}/office/schools/{school}/days/{rome_today()}/kitchen"
            found = await http.get(url, headers=SERVICE, auth=staff)
            if found.status_code != 200 or found.json()["total"] != 1:
                return False
        return True

    await eventually(roster_known)
    close = f"{attendance}/office/schools/{schools[0]}/days/{rome_today()}/close"
    assert (await http.post(close, headers=SERVICE, auth=staff)).status_code == 200


async def a_duplicate_receipt(http: httpx.AsyncClient, payments: str, account: str) -> str:
    """A notice of € 10,00 paid at a tabaccheria, then the node sends a second receipt for it."""
    body = {"account_id": account, "amount_cents": 1000, "debtor_tax_code": tax_code(), "debtor_name": "L F"}
    created = await http.post(f"{payments}/internal/notices", headers=SERVICE, json=body)
    assert created.status_code == 201, created.text
    notice = created.json()
    node = NodeSimulator(payments, NODE_SECRET, http=http)
    assert (await node.pay_at_counter(notice["notice_number"]))[0].outcome == "OK"
    again = ReceiptData(notice["notice_number"], notice["iuv"], 1000)
    assert (await node.send_receipt(again)).outcome == "OK"  # kept as an anomaly, not credited
    return again.receipt_id


async def dead_letters_of(http: httpx.AsyncClient, accounts: str, topic: str) -> int:
    board = (await http.get(f"{accounts}/office/dashboard", headers=OFFICE)).json()
    return int((board["dead_letters"] or {}).get(topic, 0))


async def resolves_by_crediting(page: Page, screens: Screens, receipt_id: str) -> None:
    await page.get_by_role("link", name="Vai alle anomalie").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Anomalie di pagamento")
    await screens.check(page, "ufficio-anomalie")
    await page.get_by_role("link", name=receipt_id, exact=True).click()
    await expect(page.get_by_test_id("importo")).to_have_text("€ 10,00")
    await expect(page.get_by_label("Accredita € 10,00 sul conto della famiglia")).to_be_checked()
    await page.get_by_label("Motivo (obbligatorio)", exact=True).fill("Avviso pagato due volte: resta come credito")
    await screens.check(page, "ufficio-anomalie-risolvi")
    await page.get_by_role("button", name="Risolvi l'anomalia").click()
    await expect(page.get_by_role("status")).to_contain_text("accreditato alla famiglia, una volta sola")
    await screens.check(page, "ufficio-anomalie-esito")


@pytest.mark.timeout(300)  # a school day, a dead letter and a receipt through four services
async def test_the_dashboard_after_a_day_and_an_anomaly_credited_once(
    context: BrowserContext,
    system: dict[str, ServiceProcess],
    identity_provider: ProviderProcess,
    infra: Infra,
    kafka: str,
    e2e_prefix: str,
    screens: Screens,
) -> None:
    accounts, attendance, payments = (system[s].url for s in ("accounts", "attendance", "payments"))
    schools = [f"primaria-{uuid.uuid4().hex[:6]}", f"infanzia-{uuid.uuid4().hex[:6]}"]
    async with httpx.AsyncClient(timeout=20) as http:

        async def balance_is(cents: int) -> bool:
            found = (await http.get(f"{accounts}/accounts/{account}", headers=OFFICE)).json()
            return int(found["balance"]["cents"]) == cents

        account = await a_family(http, accounts, schools[0])
        await a_family(http, accounts, schools[1])
        await one_school_closed(http, attendance, schools)
        await eventually(lambda: balance_is(-450))  # the closed school's meal
        receipt_id = await a_duplicate_receipt(http, payments, account)
        await eventually(lambda: balance_is(550))  # the first receipt only
        before = await dead_letters_of(http, accounts, "meal-consumed")
        poison = json.dumps({"event_id": str(uuid.uuid4()), "data": "not a meal"}).encode()
        await publish(kafka, f"{e2e_prefix}meal-consumed.dlq", poison, headers=[("error_type", b"ValidationError")])

        manager = await logs_in(
            context, accounts, await registered_staff(infra, identity_provider, Role.MANAGER, "Paolo Gialli")
        )
        await expect(manager.get_by_test_id("scuole-riepilogo")).to_contain_text("ancora da chiudere")
        await expect(manager.get_by_test_id("pannello-dlq")).to_contain_text(f"meal-consumed: {before + 1}")
        await expect(manager.get_by_test_id("pannello-anomalie")).not_to_contain_text("non disponibili")
        assert 2 <= await manager.get_by_test_id("scuole").locator("tbody tr").count() <= 20  # a page of them
        await screens.check(manager, "ufficio-cruscotto")
        for school, state in ((schools[1], "Non chiusa"), (schools[0], "Chiusa alle")):  # the city has hundreds
            await manager.get_by_label("Scuola (codice o parte del codice)", exact=True).fill(school)
            await manager.get_by_role("button", name="Mostra", exact=True).click()
            await expect(manager.get_by_test_id(f"scuola-{school}")).to_contain_text(state)
            await expect(manager.get_by_test_id("scuole").locator("tbody tr")).to_have_count(1)
        await expect(manager.get_by_role("heading", level=3, name=schools[0])).to_be_visible()  # its meal's chart
        await screens.check(manager, "ufficio-cruscotto-scuola")
        await resolves_by_crediting(manager, screens, receipt_id)

        await eventually(lambda: balance_is(1550))
        movements = (await http.get(f"{accounts}/accounts/{account}/movements", headers=OFFICE)).json()["items"]
        assert sorted(m["cause"] for m in movements) == ["meal", "top_up", "top_up"]  # credited once
        await manager.goto(f"{accounts}/ufficio/anomalie/{receipt_id}")
        await expect(manager.get_by_text("già risolta: non si risolve due volte")).to_be_visible()
        await expect(manager.get_by_role("button", name="Risolvi l'anomalia")).to_have_count(0)
        assert await balance_is(1550)
