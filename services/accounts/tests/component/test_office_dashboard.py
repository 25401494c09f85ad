"""The office's dashboard and receipt anomalies on the real gateway, with the real payments
service over HTTP (attendance and notifications left unreachable on purpose): the dashboard
answers with those panels "non disponibile", never a 500; an anomaly (a duplicate receipt sent
through the node's SOAP endpoint) is resolved by a responsabile, credited once, audited with
the person; an operatore is refused, a second resolution is a 409 with an Italian message."""

import importlib.util
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.bootstrap import make_app
from accounts.config import AccountsSettings
from accounts.domain.users import Role
from payments.bootstrap import make_app as payments_app
from payments.config import PaymentsSettings
from testkit.apps import ports_for, running, serving
from testkit.data import rome_today
from testkit.infra import Infra
from testkit.kafka import eventually
from testkit.oidc import ProviderProcess
from testkit.processes import free_port

from ..conftest import OFFICE_TOKEN, SERVICE_TOKEN
from .staff import Staff, logged_in_staff
from .test_auth import portal
from .test_families import family

NODE_SECRET = "test-node-secret"
ROOT = Path(__file__).resolve().parents[4]


def _node_simulator() -> ModuleType:
    """The pagoPA node's simulator lives outside the services (tests/), as the node does."""
    if "pagopa_node_simulator" not in sys.modules:
        spec = importlib.util.spec_from_file_location("pagopa_node_simulator", ROOT / "tests/pagopa_node_simulator.py")
        assert spec is not None and spec.loader is not None
        sys.modules[spec.name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules["pagopa_node_simulator"]


simulator = _node_simulator()
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


@pytest.fixture(scope="module")
def payments_url(infra: Infra, topic_prefix: str) -> Iterator[str]:
    """The payments service on a loopback port, on the session's topics (ACA unreachable: unused)."""
    settings = PaymentsSettings(
        database_url=infra.database_urls["payments"],
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        topic_prefix=topic_prefix,
        service_token=SERVICE_TOKEN,
        node_secret=NODE_SECRET,
        aca_api_url=f"http://127.0.0.1:{free_port()}",
    )
    with serving({"payments": payments_app(settings)}, ports_for(["payments"])) as urls:
        yield urls["payments"]


@pytest.fixture(scope="module")
async def gateway(accounts_settings: AccountsSettings, payments_url: str) -> AsyncIterator[httpx.AsyncClient]:
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = accounts_settings.model_copy(
        update={"payments_url": payments_url, "attendance_url": nowhere, "notifications_url": nowhere}
    )
    async with running(make_app(settings), token=OFFICE_TOKEN) as client:
        yield client


async def staff_of(gateway: httpx.AsyncClient, provider: ProviderProcess, engine: AsyncEngine, role: Role) -> Staff:
    async with portal(gateway) as browser:
        return await logged_in_staff(browser, provider, engine, role, "Paolo Gialli")


async def test_a_service_that_does_not_answer_leaves_its_panel_unavailable(
    gateway: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    board = await gateway.get("/office/dashboard")
    assert board.status_code == 200, board.text
    found = board.json()
    assert found["schools"] is None and found["meals"] == []  # attendance did not answer
    assert found["anomalies"] is not None and found["dead_letters"] is not None
    assert found["top_ups"][-1]["day"] == str(rome_today())  # payments answered: every day of the month so far
    services = {o if isinstance(o, str) else o["service"]: o for o in found["outboxes"]}
    assert services["attendance"] == "attendance" and services["notifications"] == "notifications"
    assert set(services["payments"]) == {"service", "pending", "stuck", "oldest_seconds"}
    assert services["accounts"]["stuck"] == 0
    async with portal(gateway) as browser:  # the page reads the session cookie
        await logged_in_staff(browser, identity_provider, engine, Role.OPERATOR)
        page = await browser.get("/ufficio")
    assert page.status_code == 200
    assert "Presenze: dati non disponibili" in page.text and "Presenze: non disponibile" in page.text


async def _duplicate_receipt(gateway: httpx.AsyncClient, payments_url: str, account: str) -> str:
    """A notice of € 10,00 paid at a counter, then its receipt sent again under another id."""
    async with httpx.AsyncClient(timeout=15) as http:
        body = {"account_id": account, "amount_cents": 1000, "debtor_tax_code": family()["holder_tax_code"]}
        created = await http.post(
            f"{payments_url}/internal/notices", headers=SERVICE, json=body | {"debtor_name": "M B"}
        )
        assert created.status_code == 201, created.text
        notice = created.json()
        node = simulator.NodeSimulator(payments_url, NODE_SECRET, http=http)
        assert (await node.pay_at_counter(notice["notice_number"]))[0].outcome == "OK"
        again = simulator.ReceiptData(notice["notice_number"], notice["iuv"], 1000)
        assert (await node.send_receipt(again)).outcome == "OK"  # kept as an anomaly
    return again.receipt_id


async def test_a_responsabile_credits_an_anomaly_once(
    gateway: httpx.AsyncClient, payments_url: str, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    account = str((await gateway.post("/office/families", json=family())).json()["account_id"])
    receipt_id = await _duplicate_receipt(gateway, payments_url, account)

    async def balance_is(cents: int) -> bool:
        return int((await gateway.get(f"/accounts/{account}")).json()["balance"]["cents"]) == cents

    await eventually(lambda: balance_is(1000))  # the first receipt; the second waits for the office
    today = (await gateway.get("/office/dashboard")).json()["top_ups"][-1]
    assert today["counter_cents"] >= 1000  # paid at a tabaccheria
    listed = (await gateway.get("/office/anomalies", params={"unresolved": "true"})).json()
    assert any(a["receipt_id"] == receipt_id and a["kind"] == "second_receipt" for a in listed)

    url = f"/office/anomalies/{receipt_id}/resolve"
    body = {"outcome": "credit", "reason": "Pagato due volte: resta come credito"}
    operator = await staff_of(gateway, identity_provider, engine, Role.OPERATOR)
    refused = await gateway.post(url, json=body, headers=operator.bearer)
    assert refused.status_code == 403, refused.text
    manager = await staff_of(gateway, identity_provider, engine, Role.MANAGER)
    done = await gateway.post(url, json=body, headers=manager.bearer)
    assert done.status_code == 200, done.text
    assert done.json()["resolved_by"] == f"manager:{manager.user_id}"
    again = await gateway.post(url, json=body, headers=manager.bearer)
    assert again.status_code == 409 and again.json()["code"] == "anomalia_gia_risolta", again.text

    await eventually(lambda: balance_is(2000))
    movements = (await gateway.get(f"/accounts/{account}/movements")).json()["items"]
    assert sorted(m["cause"] for m in movements) == ["top_up", "top_up"]  # credited once
    audit = (await gateway.get("/office/audit", params={"account_id": account, "action": "anomaly_resolved"})).json()
    [entry] = audit["items"]
    assert (entry["actor"], entry["subject"], entry["reason"]) == ("Paolo Gialli", receipt_id, body["reason"])
    assert uuid.UUID(entry["account_id"]) == uuid.UUID(account)
