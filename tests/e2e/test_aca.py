"""The ACA sender killed (SIGKILL) between ACA's answer and the record of it: the payments process
restarts, sends the same body again (ACA takes it as an update) and the notice's later changes
after it, in order; every request checked by the stand-in against the official OpenAPI document."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from testkit import processes
from testkit.acting import ForPerson
from testkit.data import tax_code
from testkit.databases import plain_dsn, scratch_database
from testkit.infra import Infra
from testkit.kafka import eventually

from ..aca_stand_in import AcaStandIn
from ..conftest import NODE_SECRET, SERVICE_TOKEN, aca_env

SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


@pytest.fixture
async def payments_env(infra: Infra, e2e_prefix: str, aca: AcaStandIn) -> AsyncIterator[dict[str, str]]:
    """A payments process of the test's own, on a database of its own (it is killed)."""
    async with scratch_database(infra.database_urls["payments"], "aca_crash") as url:
        yield aca_env(aca) | {
            "PAYMENTS_DATABASE_URL": url,
            "PAYMENTS_SERVICE_TOKEN": SERVICE_TOKEN,
            "PAYMENTS_NODE_SECRET": NODE_SECRET,
            "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap_servers,
            "KAFKA_TOPIC_PREFIX": e2e_prefix,
        }


def start(env: dict[str, str], log_dir: Path, port: int) -> processes.ServiceProcess:
    service = processes.launch("payments", env, log_dir, port)
    processes.wait_ready(service)
    return service


async def aca_states(database_url: str) -> list[str]:
    connection = await asyncpg.connect(plain_dsn(database_url))
    try:
        return [row["state"] for row in await connection.fetch("SELECT state FROM aca_change ORDER BY id")]
    finally:
        await connection.close()


async def test_a_sender_killed_mid_send_sends_each_change_again_in_order(
    payments_env: dict[str, str], aca: AcaStandIn, tmp_path: Path
) -> None:
    port = processes.free_port()
    payments = start(payments_env, tmp_path, port)
    try:
        staff = ForPerson("payments")  # the office changes and cancels, as a named member of staff
        async with httpx.AsyncClient(base_url=payments.url, headers=SERVICE, timeout=15, auth=staff) as http:
            aca.fail("hang")  # ACA applies the change, and its answer is held back
            notice = await create(http)
            iuv = notice["iuv"]
            await eventually(lambda: aca.requests_for(iuv))
            payments.process.kill()  # SIGKILL: no shutdown, no record of ACA's answer
            payments.process.wait()
            aca.clear()
            assert await aca_states(payments_env["PAYMENTS_DATABASE_URL"]) == ["pending"]
            payments = start(payments_env, tmp_path, port)
            number = notice["notice_number"]
            await registered(http, number)
            await http.patch(f"/internal/notices/{number}", json={"amount_cents": 2500})
            await registered(http, number)
            await http.post(f"/internal/notices/{number}/cancel")
            assert (await registered(http, number))["state"] == "cancelled"
    finally:
        payments.stop()
    requests = aca.requests_for(iuv)
    assert [(r.body["amount"], r.status) for r in requests] == [(2000, 200), (2000, 200), (2500, 200), (0, 200)]
    assert requests[0].body == requests[1].body  # the resend is the same body: an update of the same
    assert [r.errors for r in requests] == [[]] * 4
    assert aca.position("01234567897", iuv).status == "INVALID"
    assert await aca_states(payments_env["PAYMENTS_DATABASE_URL"]) == ["registered"] * 3


async def create(http: httpx.AsyncClient) -> dict[str, Any]:
    body = {
        "account_id": str(uuid.uuid4()),
        "amount_cents": 2000,
        "debtor_tax_code": tax_code(),
        "debtor_name": "Ada Neri",
    }
    response = await http.post("/internal/notices", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def registered(http: httpx.AsyncClient, number: str) -> dict[str, Any]:
    async def done() -> dict[str, Any] | None:
        notice: dict[str, Any] = (await http.get(f"/internal/notices/{number}")).json()
        return notice if notice["aca"]["state"] == "registered" else None

    found: dict[str, Any] = await eventually(done, timeout=30)
    await asyncio.sleep(0)
    return found
