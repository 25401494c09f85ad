"""The school year's closing as a job of the service (batches by account, resumable), and the
refunds it leaves as files for the treasury: a pain.001 valid against its schema, and a CSV."""

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
import sepaxml
import xmlschema
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.config import AccountsSettings
from accounts.domain.users import Role
from accounts.handlers.check_ledger import check_ledger
from shared.db import make_engine
from testkit.kafka import eventually
from testkit.oidc import ProviderProcess

from .staff import logged_in_staff
from .test_auth import portal
from .test_money_causes import child, closing_over, family_with, responsabile

PAIN_001 = xmlschema.XMLSchema(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd")
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
FORCED = {"forced_because": "Prova: chiusura anticipata per il collaudo"}
IBAN = "IT60X0542811101000000123456"


@pytest.fixture
async def engine(accounts_settings: AccountsSettings) -> AsyncIterator[AsyncEngine]:
    made = make_engine(accounts_settings.database_url, pool_size=2)
    yield made
    await made.dispose()


async def families_with_balances(office: httpx.AsyncClient, year: str, following: str, cents: list[int]) -> list[str]:
    """One family per balance; the first one continues next year. Their accounts, in id order."""
    accounts = []
    for i, amount in enumerate(cents):
        kids = [child("Uno", year, None), *([child("Due", following, None)] if i == 0 else [])]
        created = await family_with(office, *kids, iban=IBAN if i % 2 else None)
        booked = await office.post(
            f"/office/accounts/{created['account_id']}/adjustments",
            json={"amount_cents": amount, "reason": "saldo di prova"},
        )
        assert booked.status_code == 201, booked.text
        accounts.append(created["account_id"])
    return sorted(accounts, key=uuid.UUID)


async def closing_movements(office: httpx.AsyncClient, account: str) -> list[dict]:
    items = (await office.get(f"/accounts/{account}/movements")).json()["items"]
    return [m for m in items if m["cause"] in ("refund", "carry_over")]


async def job(office: httpx.AsyncClient, year: str, headers: dict[str, str]) -> dict:
    return (await office.get(f"/office/school-years/{year}/closing", headers=headers)).json()


async def test_an_interrupted_batch_is_resumed_and_nothing_is_booked_twice(
    office: httpx.AsyncClient, accounts_settings: AccountsSettings, engine: AsyncEngine
) -> None:
    accounts = await families_with_balances(office, "2040/2041", "2041/2042", [1500, 2000, -700, 900, 300])
    admin = await responsabile(office, accounts_settings)
    # The families still to close in the year, in the order the batches take them (a run cut
    # short on this database may have left some besides ours).
    preview = await office.get("/office/school-years/2040-2041/closing/preview", headers=admin)
    to_close = [f["account_id"] for f in preview.json()["families"]]
    assert set(accounts) <= set(to_close), preview.text
    size = accounts_settings.year_closing_batch_size
    stops_at = to_close.index(accounts[2]) // size * size  # the failing batch's first position
    audit_before = (await office.get("/office/audit", headers=admin)).json()["items"][0]["seq"]
    crash = f"test_crash_{uuid.uuid4().hex[:8]}"
    # The third account's closing fails mid-batch (as a process killed in its transaction): its
    # batch (two accounts per batch in these tests) rolls back whole, again and again.
    async with engine.begin() as conn:
        await conn.execute(
            text(
                f"CREATE FUNCTION {crash}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"RAISE EXCEPTION 'simulated crash'; END $$"
            )
        )
        await conn.execute(
            text(
                f"CREATE TRIGGER {crash} BEFORE INSERT ON ledger_entry FOR EACH ROW "
                f"WHEN (NEW.account_id = '{accounts[2]}' AND NEW.source = 'year-closing') EXECUTE FUNCTION {crash}()"
            )
        )
    try:
        started = await office.post("/office/school-years/2040-2041/closing", json=FORCED, headers=admin)
        assert started.status_code == 202 and started.json()["total"] == len(to_close), started.text

        async def stuck_at_the_failing_batch() -> bool:
            return (await job(office, "2040-2041", admin))["done"] == stops_at

        await eventually(stuck_at_the_failing_batch)
        for _ in range(5):  # retried and refused several times: it stays where it stopped
            await asyncio.sleep(accounts_settings.year_closing_idle_seconds * 2)
            stuck = await job(office, "2040-2041", admin)
            assert (stuck["state"], stuck["done"]) == ("running", stops_at)
            assert stuck["percent"] == stops_at * 100 // len(to_close)
        for account in to_close[stops_at:]:
            assert await closing_movements(office, account) == []
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {crash} ON ledger_entry"))
            await conn.execute(text(f"DROP FUNCTION {crash}()"))

    done = await closing_over(office, "2040-2041", admin)
    assert (done["done"], done["total"], done["percent"]) == (len(to_close), len(to_close), 100)
    again = await office.post("/office/school-years/2040-2041/closing", json=FORCED, headers=admin)
    assert again.status_code == 200 and again.json()["already_closed"] and again.json()["booked"] == done["booked"]
    for account in accounts:
        assert len(await closing_movements(office, account)) == 1, account
    refunded = [r for r in (await office.get("/office/refunds")).json() if r["account_id"] in accounts]
    assert sorted(r["amount"]["cents"] for r in refunded) == [300, 900, 2000]
    assert done["booked"]["refunded"]["families"] >= 3 and done["booked"]["without_iban"]["families"] >= 1
    for action in ("school_year_closing_started", "school_year_closed"):
        logged = (await office.get("/office/audit", params={"action": action}, headers=admin)).json()["items"]
        latest = next(e for e in logged if e["subject"] == "2040/2041")  # newest first
        assert latest["seq"] > audit_before and latest["actor"] == "Paolo Gialli", action
        assert latest["reason"] == FORCED["forced_because"]
    checked = await check_ledger(SqlAccountsUnitOfWork(engine, "accounts", accounts_settings.topic_prefix))
    assert checked.unbalanced == []


async def test_the_refunds_export_as_a_valid_pain_001_and_a_csv_without_the_ibanless_ones(
    office: httpx.AsyncClient, accounts_settings: AccountsSettings
) -> None:
    accounts = await families_with_balances(office, "2044/2045", "2045/2046", [800, 1250, 640])
    admin = await responsabile(office, accounts_settings)
    assert (await office.post("/office/school-years/2044-2045/closing", json=FORCED, headers=admin)).status_code == 202
    await closing_over(office, "2044-2045", admin)
    to_pay = (await office.get("/office/refunds")).json()
    with_iban = {r["refund_id"]: r for r in to_pay if r["iban"]}
    ours = {r["account_id"]: r for r in to_pay if r["account_id"] in accounts}
    assert sorted(r["amount"]["cents"] for r in ours.values()) == [640, 1250]

    exported = await office.get("/office/refunds/pain.001", headers=admin)
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    PAIN_001.validate(exported.text)
    document = ElementTree.fromstring(exported.content)
    sent = {tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): tx for tx in document.iterfind(".//p:CdtTrfTxInf", NS)}
    assert set(sent) == {uuid.UUID(refund_id).hex for refund_id in with_iban}  # exactly the refunds with an IBAN
    for refund_id, refund in with_iban.items():
        tx = sent[uuid.UUID(refund_id).hex]
        assert tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == refund["iban"]
        assert tx.findtext("p:Amt/p:InstdAmt", namespaces=NS) == f"{refund['amount']['cents'] / 100:.2f}"
    assert document.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == accounts_settings.treasury_iban
    ibanless = next(r for r in ours.values() if not r["iban"])
    assert uuid.UUID(ibanless["refund_id"]).hex not in sent
    again = await office.get("/office/refunds/pain.001", headers=admin)
    assert {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS)
        for tx in ElementTree.fromstring(again.content).iterfind(".//p:CdtTrfTxInf", NS)
    } == set(sent)  # stable ids

    spreadsheet = await office.get("/office/refunds.csv", headers=admin)
    assert spreadsheet.status_code == 200
    line = next(row for row in spreadsheet.text.splitlines() if uuid.UUID(ibanless["refund_id"]).hex in row)
    assert "IBAN mancante" in line and "6,40" in line

    exports = (await office.get("/office/audit", params={"action": "refunds_exported"}, headers=admin)).json()
    assert "Paolo Gialli" in {e["actor"] for e in exports["items"]}
    formats = {e["after"]["format"] for e in exports["items"]}
    assert formats >= {"pain.001", "csv"}


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "no CSRF token on the page"
    return found[1]


async def test_the_wizard_works_without_javascript_and_only_for_a_responsabile(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    accounts = await families_with_balances(office, "2046/2047", "2047/2048", [700])
    async with portal(office) as browser:
        await logged_in_staff(browser, identity_provider, engine, Role.OPERATOR)
        assert (await browser.get("/ufficio/chiusura-anno?anno=2046-2047")).status_code == 403
        assert 'href="/ufficio/chiusura-anno"' not in (await browser.get("/ufficio")).text
    async with portal(office) as browser:
        await logged_in_staff(browser, identity_provider, engine, Role.MANAGER, "Paolo Gialli")
        assert 'href="/ufficio/chiusura-anno"' in (await browser.get("/ufficio")).text
        shown = await browser.get("/ufficio/chiusura-anno", params={"anno": "2046-2047", "cerca": "galli"})
        assert shown.status_code == 200 and f'href="/ufficio/famiglie/{accounts[0]}"' in shown.text
        refused = await browser.post("/ufficio/chiusura-anno/2046-2047", data={"csrf_token": csrf_of(shown.text)})
        assert refused.status_code == 409 and "indicando il motivo" in refused.text
        started = await browser.post(
            "/ufficio/chiusura-anno/2046-2047", data={"csrf_token": csrf_of(shown.text), **FORCED}
        )
        assert started.status_code == 303 and started.headers["location"] == "/ufficio/chiusura-anno?anno=2046-2047"

        async def reloaded_until_closed() -> str | None:  # the plain reload, as without JavaScript
            page = await browser.get(started.headers["location"])
            return page.text if "è chiuso" in page.text else None

        report = await eventually(reloaded_until_closed, timeout=60)
        assert "Paolo Gialli" in report and "rimborsi.csv" in report
        polled = await browser.get("/ufficio/chiusura-anno/avanzamento?anno=2046-2047", headers={"HX-Request": "true"})
        assert polled.status_code == 204 and polled.headers["HX-Refresh"] == "true"  # htmx reloads the page
