"""The family's screens that need no other service, on the in-process service (HTML over HTTP;
the browser journeys through every process are in tests/e2e): Movimenti and its CSV, Contatti e
preferenze, the Dichiarazione per il 730, Assistenza on both sides, and what a guardian who is not
the holder is refused."""

import contextlib
import io
import json
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pypdfium2
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.config import AccountsSettings
from accounts.domain.users import Role, User
from testkit.data import tax_code
from testkit.kafka import read_all
from testkit.oidc import ProviderProcess, log_in, spid_claims

from .test_auth import portal
from .test_families import family

HTML = {"Accept": "text/html"}


@contextlib.asynccontextmanager
async def browser_of(
    office: httpx.AsyncClient, provider: ProviderProcess, person: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser logged in through the provider as `person` (a fiscal code)."""
    sub = f"spid-{uuid.uuid4().hex[:8]}"
    provider.add(sub, spid_claims(person, "Maria", "Bianchi"))
    async with portal(office) as browser:
        back = await log_in(browser, sub)
        assert back.status_code == 303, back.text
        yield browser


def token_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert found, "no CSRF field on the page"
    return found[1]


async def new_family(office: httpx.AsyncClient) -> tuple[str, str]:
    body = family()
    account = (await office.post("/office/families", json=body)).json()["account_id"]
    return str(account), str(body["holder_tax_code"])


async def test_the_holder_filters_the_estratto_conto_pages_it_and_downloads_it(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    account, holder = await new_family(office)
    for cents in [500] * 21 + [-450]:
        await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": cents, "reason": "prova"})
    async with browser_of(office, identity_provider, holder) as browser:
        first = await browser.get(f"/conti/{account}/movimenti")
        assert first.status_code == 200 and "22 movimenti, pagina 1 di 2" in first.text
        assert "€ 100,50" in first.text and "hx-get" in first.text  # the balance after the last; polling
        second = await browser.get(f"/conti/{account}/movimenti", params={"pagina": 2})
        assert "pagina 2 di 2" in second.text and "hx-get" not in second.text
        bad = await browser.get(f"/conti/{account}/movimenti", params={"da": "2026-12-31", "a": "2026-01-01"})
        assert "La data finale non può venire prima di quella iniziale." in bad.text
        csv = await browser.get(f"/conti/{account}/movimenti.csv", params={"causale": "adjustment"})
        assert csv.headers["content-type"].startswith("text/csv") and len(csv.text.strip().splitlines()) == 23
        poll = re.search(r'hx-get="([^"]+)"', first.text)
        assert poll and (await browser.get(poll[1].replace("&amp;", "&"))).status_code == 204
        await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": 25, "reason": "prova"})
        moved = await browser.get(poll[1].replace("&amp;", "&"))  # the ledger moved: the table's fragment
        assert moved.status_code == 200 and "23 movimenti" in moved.text and "€ 100,75" in moved.text
        assert "<html" not in moved.text


async def test_the_holder_changes_contacts_and_refusals_and_notifications_hears_of_it(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, kafka: str, topic_prefix: str
) -> None:
    account, holder = await new_family(office)
    async with browser_of(office, identity_provider, holder) as browser:
        page = await browser.get(f"/conti/{account}/contatti")
        assert 'autocomplete="email"' in page.text and 'autocomplete="tel"' in page.text  # not escaped
        token = token_of(page.text)
        wrong = await browser.post(
            f"/conti/{account}/contatti", data={"csrf_token": token, "email": "non-una-email", "phone": "333"}
        )
        assert wrong.status_code == 422 and "Scrivi un indirizzo email valido" in wrong.text
        changed = await browser.post(
            f"/conti/{account}/contatti",
            data={"csrf_token": token, "email": "nuova@example.it", "phone": "+39 333 7654321", "sms_opt_out": "1"},
        )
        assert changed.status_code == 303
    view = (await office.get(f"/accounts/{account}")).json()
    assert (view["email"], view["sms_opt_out"], view["email_opt_out"]) == ("nuova@example.it", True, False)
    events = await read_all(
        kafka,
        f"{topic_prefix}contacts-changed",
        expect=2,
        keep=lambda r: json.loads(r.value)["data"]["account_id"] == account,
    )
    assert json.loads(events[-1].value)["data"]["sms_opt_out"] is True


async def test_the_statement_for_the_730_is_the_holders_for_a_year_or_a_school_year(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    account, holder = await new_family(office)
    async with browser_of(office, identity_provider, holder) as browser:
        page = await browser.get(f"/conti/{account}/dichiarazione")
        assert page.status_code == 200 and "Anno scolastico" in page.text
        for kind, expected in (("calendar", "anno 2026"), ("school", "anno scolastico 2026/2027")):
            pdf = await browser.get(f"/conti/{account}/dichiarazione.pdf", params={"periodo": kind, "anno": 2026})
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            text = " ".join(pypdfium2.PdfDocument(io.BytesIO(pdf.content))[0].get_textpage().get_text_range().split())
            assert expected in text and "Maria Bianchi" in text
        other = await browser.get(f"/conti/{account}/dichiarazione.pdf", params={"alunno": str(uuid.uuid4())})
        assert other.status_code == 404


async def test_a_guardian_is_refused_the_accounts_money_on_the_pages_too(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    account, _ = await new_family(office)
    guardian = tax_code()
    created = await office.post("/office/users", json={"role": "parent", "tax_code": guardian, "account_id": account})
    assert created.status_code == 201
    async with browser_of(office, identity_provider, guardian) as browser:
        desk = await browser.get(f"/conti/{account}/scrivania")
        assert "visibili al titolare" in desk.text and ">Movimenti<" not in desk.text
        for path in ("movimenti", "movimenti.csv", "dichiarazione.pdf"):
            refused = await browser.get(f"/conti/{account}/{path}", headers=HTML)
            assert refused.status_code == 403 and "solo al titolare" in refused.text, path
        contacts = await browser.get(f"/conti/{account}/contatti")
        assert '<form method="post" action="/conti' not in contacts.text.split("Contatti e preferenze</h1>")[1]
        post = await browser.post(f"/conti/{account}/contatti", data={"csrf_token": token_of(contacts.text)})
        assert post.status_code == 403 and "Solo il titolare" in post.text


async def test_a_family_writes_the_office_answers_and_the_family_is_emailed(
    office: httpx.AsyncClient,
    identity_provider: ProviderProcess,
    engine: AsyncEngine,
    accounts_settings: AccountsSettings,
    kafka: str,
    topic_prefix: str,
) -> None:
    account, holder = await new_family(office)
    staff_code = tax_code()
    uow = SqlAccountsUnitOfWork(engine, "accounts", accounts_settings.topic_prefix)
    async with uow:  # the office registers a staff member by fiscal code (the back-office's job)
        await uow.users.add(
            User(uuid.uuid4(), Role.OPERATOR, tax_code=staff_code, email=f"{uuid.uuid4().hex}@comune.it")
        )
        await uow.commit()
    async with browser_of(office, identity_provider, holder) as family_browser:
        page = await family_browser.get(f"/conti/{account}/assistenza")
        sent = await family_browser.post(
            f"/conti/{account}/assistenza", data={"csrf_token": token_of(page.text), "testo": "Posso pagare a rate?"}
        )
        assert sent.status_code == 303
        assert (await family_browser.get("/ufficio/assistenza", headers=HTML)).status_code == 403
    async with browser_of(office, identity_provider, staff_code) as staff_browser:
        listed = await staff_browser.get("/ufficio/assistenza")
        assert (
            listed.status_code == 200
            and "In attesa dal" in listed.text
            and f"/ufficio/assistenza/{account}" in listed.text
        )
        file = await staff_browser.get(f"/ufficio/assistenza/{account}")
        assert "Posso pagare a rate?" in file.text and "€ 0,00" in file.text
        answered = await staff_browser.post(
            f"/ufficio/assistenza/{account}", data={"csrf_token": token_of(file.text), "testo": "Sì, con più avvisi."}
        )
        assert answered.status_code == 303
    conversation = (await office.get(f"/accounts/{account}/conversation")).json()
    assert [m["side"] for m in conversation] == ["family", "office"]
    [line] = [c for c in (await office.get("/office/conversations")).json() if c["account_id"] == account]
    assert line["waiting"] is False and line["messages"] == 2
    [request] = await read_all(
        kafka,
        f"{topic_prefix}notification-requested",
        expect=1,
        keep=lambda r: json.loads(r.value)["data"]["account_ids"] == [account],
    )
    data = json.loads(request.value)["data"]
    assert (data["template"], data["channels"]) == ("assistance_reply", ["email"])
    assert "rate" not in json.dumps(data)  # the email says there is an answer, not what it says
