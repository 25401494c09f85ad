"""Morosità e solleciti and Comunicazioni at the gateway: what accounts publishes for
notifications (once per request id), what it audits, and who may see a family's debt."""

import json
import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.domain.users import Role
from shared.web.csrf import token_for
from testkit.data import tax_code
from testkit.kafka import read_all
from testkit.oidc import ProviderProcess

from .staff import SESSION_COOKIE, logged_in_staff
from .test_auth import logged_in, new_family, portal
from .test_families import family


def requested(request_id: str) -> Any:
    return lambda record: json.loads(record.value)["data"]["request_id"] == request_id


async def test_a_reminder_now_is_published_and_audited_once_per_request_id(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str
) -> None:
    first, second = await new_family(office), await new_family(office)
    request_id = str(uuid.uuid4())
    body = {"request_id": request_id, "account_ids": [first, second, first]}
    sent = await office.post("/office/debtors/reminders", json=body)
    assert sent.status_code == 202 and sent.json() == {"request_id": request_id, "sent": True}
    again = await office.post("/office/debtors/reminders", json=body)
    assert again.status_code == 202 and again.json()["sent"] is False
    other = await office.post("/office/debtors/reminders", json=body | {"account_ids": [first]})
    assert other.status_code == 409 and other.json()["code"] == "chiave_idempotenza_riutilizzata"

    [record] = await read_all(kafka, f"{topic_prefix}notification-requested", expect=1, keep=requested(request_id))
    envelope = json.loads(record.value)
    assert (envelope["version"], envelope["data"]["template"]) == (3, "reminder")
    assert envelope["data"]["account_ids"] == [first, second]
    for account in (first, second):
        log = (await office.get("/office/audit", params={"account_id": account})).json()
        assert [e["action"] for e in log["items"] if e["subject"] == request_id] == ["reminder_sent"]


async def test_a_reminder_to_an_unknown_family_sends_nothing(office: httpx.AsyncClient) -> None:
    refused = await office.post(
        "/office/debtors/reminders", json={"request_id": str(uuid.uuid4()), "account_ids": [str(uuid.uuid4())]}
    )
    assert refused.status_code == 404 and refused.json()["code"] == "conto_non_trovato"


async def test_a_communication_to_a_class_names_its_school_and_is_sent_once(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str
) -> None:
    request_id, school = str(uuid.uuid4()), f"primaria-{uuid.uuid4().hex[:8]}"  # no other test's families
    body = {
        "school_id": school,
        "class_id": "4A",
        "subject": "Uscita didattica",
        "message": "Venerdì la 4A pranza al sacco.",
        "channels": ["email"],
        "request_id": request_id,
    }
    for _ in range(2):
        answer = await office.post("/office/broadcasts", json=body)
        assert answer.status_code == 202 and answer.json() == {"request_id": request_id}
    [record] = await read_all(kafka, f"{topic_prefix}notification-requested", expect=1, keep=requested(request_id))
    data = json.loads(record.value)["data"]
    assert (data["school_id"], data["class_id"], data["everyone"], data["channels"]) == (
        school,
        "4A",
        False,
        ["email"],
    )
    listed = (await office.get("/office/broadcasts")).json()
    mine = [c for c in listed if c["request_id"] == request_id]
    assert len(mine) == 1 and mine[0]["details"]["destinatari"] == f"classe 4A della scuola {school}"
    assert mine[0]["sent_by"].startswith("Automazione")


async def test_a_class_needs_its_school(office: httpx.AsyncClient) -> None:
    refused = await office.post("/office/broadcasts", json={"class_id": "4A", "message": "Un messaggio."})
    assert refused.status_code == 422 and refused.json()["code"] == "destinatari_non_validi"
    nobody = await office.post("/office/broadcasts", json={"message": "Un messaggio."})
    assert nobody.status_code == 422 and nobody.json()["code"] == "destinatari_non_validi"


async def test_a_parent_in_debt_never_sees_morosita(
    office: httpx.AsyncClient, identity_provider: ProviderProcess
) -> None:
    body = family()
    created = await office.post("/office/families", json=body)
    account = created.json()["account_id"]
    debit = {"amount_cents": -900, "reason": "Pasti di ottobre non addebitati"}
    booked = await office.post(
        f"/office/accounts/{account}/adjustments", json=debit, headers={"Idempotency-Key": uuid.uuid4().hex}
    )
    assert booked.status_code in (200, 201), booked.text
    token = await logged_in(office, identity_provider, str(body["holder_tax_code"]))
    async with portal(office) as browser:
        browser.cookies.set(SESSION_COOKIE, token)
        for path in ("/ufficio/morosita", "/ufficio/comunicazioni"):
            page = await browser.get(path, headers={"Accept": "text/html"})
            assert page.status_code == 403 and "riservata al personale" in page.text
            assert "€ 9,00" not in page.text
    for path in ("/office/debtors", "/office/debtors/page"):
        answer = await office.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 403 and account not in answer.text
    debtors = {d["account_id"]: d for d in (await office.get("/office/debtors", params={"order": "since"})).json()}
    assert debtors[account]["balance"]["cents"] == -900 and debtors[account]["in_debt_since"] is not None


async def test_the_page_writes_to_families_chosen_by_their_holders_fiscal_codes(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine, kafka: str, topic_prefix: str
) -> None:
    body = family()
    account = (await office.post("/office/families", json=body)).json()["account_id"]
    unknown, request_id = tax_code(), uuid.uuid4().hex
    async with portal(office) as browser:
        operator = await logged_in_staff(browser, identity_provider, engine, Role.OPERATOR)
        form = {
            "csrf_token": token_for(operator.token),
            "richiesta": request_id,
            "destinatari": "famiglie",
            "codici": f"{str(body['holder_tax_code']).lower()}\n{unknown}",
            "canali": "email",
            "oggetto": "Riunione",
            "testo": "Giovedì alle 17 la riunione sul servizio mensa.",
            "azione": "invia",
        }
        refused = await browser.post("/ufficio/comunicazioni", data=form)
        assert refused.status_code == 422 and f"Nessuna famiglia ha come titolare {unknown}" in refused.text
        sent = await browser.post("/ufficio/comunicazioni", data=form | {"codici": str(body["holder_tax_code"])})
        assert (
            sent.status_code == 303
            and sent.headers["location"] == f"/ufficio/comunicazioni/{uuid.UUID(request_id)}?inviata=1"
        )
        again = await browser.post("/ufficio/comunicazioni", data=form | {"codici": str(body["holder_tax_code"])})
        assert again.status_code == 303  # the same form sent twice: one request
    [record] = await read_all(
        kafka, f"{topic_prefix}notification-requested", expect=1, keep=requested(str(uuid.UUID(request_id)))
    )
    data = json.loads(record.value)["data"]
    assert (data["account_ids"], data["school_id"], data["everyone"], data["channels"]) == (
        [account],
        None,
        False,
        ["email"],
    )
    log = (await office.get("/office/audit", params={"action": "broadcast"})).json()["items"]
    [entry] = [e for e in log if e["subject"] == str(uuid.UUID(request_id))]
    assert (entry["actor"], entry["after"]["destinatari"]) == ("Giovanna Neri", "1 famiglia scelta")
