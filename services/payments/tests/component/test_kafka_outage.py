"""Kafka away when payments starts: the node is still served, the logs stay quiet, and the
receipt's event leaves as soon as the broker is reachable."""

import asyncio
from typing import Any

import pytest

from payments.bootstrap import make_app
from payments.config import PaymentsSettings
from testkit.apps import running
from testkit.gate import Gate
from testkit.kafka import eventually

from ..conftest import NODE_SECRET, SERVICE_TOKEN, simulator  # type: ignore[import-not-found]


async def test_a_payments_process_started_without_kafka_serves_the_node(
    settings: PaymentsSettings, kafka: str, received: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    host, port = kafka.split(":")
    gate = Gate(host, int(port))  # closed: the broker's address refuses connections
    cut_off = settings.model_copy(update={"kafka_bootstrap_servers": gate.address})
    async with running(make_app(cut_off), token=SERVICE_TOKEN) as payments:
        assert (await payments.get("/health")).status_code == 200
        ready = await payments.get("/ready")
        assert ready.status_code == 503 and ready.json()["checks"] == {"database": True, "kafka": False}

        created = (
            await payments.post(
                "/internal/notices",
                json={
                    "account_id": "00000000-0000-4000-8000-000000000001",
                    "amount_cents": 1500,
                    "debtor_tax_code": "RSSMRA80A01H501U",
                    "debtor_name": "Mario Rossi",
                },
            )
        ).json()
        node = simulator.NodeSimulator("", NODE_SECRET, http=payments)
        receipt = simulator.ReceiptData(created["notice_number"], created["iuv"], 1500)
        assert (await node.send_receipt(receipt)).outcome == "OK"  # in the outbox, not lost
        await asyncio.sleep(3)  # the client retries many times a second meanwhile
        kafka_lines = [line for line in capfd.readouterr().out.splitlines() if '"aiokafka' in line]
        assert len(kafka_lines) <= 3, kafka_lines

        await gate.open()
        ready_again = await eventually(lambda: _ready(payments), timeout=40)
        assert ready_again["checks"]["kafka"] is True
        assert len(await received(created["account_id"], 1)) == 1
    await gate.close()


async def _ready(client: Any) -> dict[str, Any] | None:
    response = await client.get("/ready")
    return response.json() if response.status_code == 200 else None
