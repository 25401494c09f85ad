"""Top-ups through the pagoPA node and meals through attendance, on real processes: a payment
booked before the meals it pays for, and one receipt sent by two node threads at once, each to
its own payments process."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from shared.events import Envelope, MealConsumed
from testkit.acting import ForPerson
from testkit.infra import Infra
from testkit.kafka import eventually, read_all

from ..pagopa_node_simulator import Answer, NodeSimulator, ReceiptData
from .books import Books, rows, wait_booked, wait_outboxes_drained
from .conftest import scratch_databases, topics
from .load import register_families
from .pagopa import SERVICE, activate, create_notice, expect_credits, pay
from .system import NODE_SECRET, Service, service_env, serving

pytestmark = pytest.mark.timeout(420)
STAFF = ForPerson("attendance")  # the office acts as a named member of staff (`shared.acting`)


@pytest.fixture(scope="module")
async def databases(infra: Infra, accounts_db: str) -> AsyncIterator[dict[str, str]]:
    async with scratch_databases(infra, "attendance", "payments") as urls:
        yield urls | {"accounts": accounts_db}


@pytest.fixture(scope="module")
async def services(kafka: str, databases: dict[str, str], logs: Path) -> AsyncIterator[dict[str, Service]]:
    """accounts, attendance, and two payments processes (two replicas behind the node)."""
    async with topics(kafka) as prefix:
        env = service_env(kafka, prefix, databases)
        started = {
            "accounts": Service("accounts", env, logs),
            "attendance": Service("attendance", env, logs),
            "payments": Service("payments", env, logs),
            "payments-2": Service("payments", env, logs),
        }
        async with serving(*started.values()):
            yield started


async def test_a_top_up_booked_before_the_meals_it_pays_for(
    services: dict[str, Service], kafka: str, databases: dict[str, str], books: Books
) -> None:
    accounts, attendance = services["accounts"].url, services["attendance"].url
    payments = (services["payments"].url, services["payments-2"].url)
    school, day = f"primaria-{uuid.uuid4().hex[:6]}", date(2026, 11, 30)
    families = await register_families(accounts, 20, school)
    async with httpx.AsyncClient(timeout=30) as http:

        async def roster_complete() -> bool:
            kitchen = await http.get(
                f"{attendance}/office/schools/{school}/days/{day}/kitchen", headers=SERVICE, auth=STAFF
            )
            return kitchen.status_code == 200 and kitchen.json()["total"] == len(families)

        await eventually(roster_complete, timeout=60)
        notices = [await create_notice(http, payments[i % 2], f, 2000) for i, f in enumerate(families)]
        await asyncio.gather(*(pay(http, payments[i % 2], n) for i, n in enumerate(notices)))
        await expect_credits(kafka, services["accounts"].prefix, books, notices)
        await wait_booked(databases["accounts"], books)  # credited: only now are the meals sent
        late = {"reason": "Registro cartaceo della mensa"}  # a day gone is closed with a reason
        close = await http.post(
            f"{attendance}/office/schools/{school}/days/{day}/close", headers=SERVICE, json=late, auth=STAFF
        )
        assert close.status_code == 200 and close.json()["meals"] == len(families), close.text
    lunches = await meals_of(kafka, services["accounts"].prefix, school, len(families))
    books.meals(lunches)
    await wait_booked(databases["accounts"], books)
    await wait_outboxes_drained(*databases.values())
    ledger = await rows(
        databases["accounts"],
        "SELECT account_id, array_agg(cause ORDER BY seq) AS causes, array_agg(balance_after_cents ORDER BY seq)"
        " AS after FROM ledger_entry WHERE account_id = ANY($1) GROUP BY account_id",
        [f.account_id for f in families],
    )
    assert {(tuple(r["causes"]), tuple(r["after"])) for r in ledger} == {(("top_up", "meal"), (2000, 1550))}


async def meals_of(kafka: str, prefix: str, school: str, expected: int) -> list[Envelope[MealConsumed]]:
    records = await read_all(
        kafka,
        f"{prefix}meal-consumed",
        expect=expected,
        keep=lambda r: json.loads(r.value)["data"]["school_id"] == school,
    )
    lunches = {e.event_id: e for e in (Envelope[MealConsumed].model_validate_json(r.value) for r in records)}
    assert len({e.data.student_id for e in lunches.values()}) == expected == len(lunches), "one meal per pupil"
    return list(lunches.values())


async def test_one_receipt_sent_by_two_node_threads_at_once_credits_once(
    services: dict[str, Service], kafka: str, databases: dict[str, str], books: Books
) -> None:
    payments = (services["payments"].url, services["payments-2"].url)
    families = await register_families(services["accounts"].url, 20, "primaria-ricevute")
    async with httpx.AsyncClient(timeout=30) as http:
        notices = [await create_notice(http, payments[0], f, 1500) for f in families]
        receipts = [await activate(http, payments[0], n) for n in notices]
    for receipt in receipts:
        barrier = threading.Barrier(2)
        answers = await asyncio.gather(*(asyncio.to_thread(send_at_once, url, receipt, barrier) for url in payments))
        assert sorted((a.outcome or "", a.fault_code or "") for a in answers) == [
            ("KO", "PAA_RECEIPT_DUPLICATA"),
            ("OK", ""),
        ], [a.raw for a in answers]
    await expect_credits(kafka, services["accounts"].prefix, books, notices)
    await wait_booked(databases["accounts"], books)
    await wait_outboxes_drained(*databases.values())


def send_at_once(payments_url: str, receipt: ReceiptData, barrier: threading.Barrier) -> Answer:
    """One node thread: its own connection, ready; it sends `paSendRTV2` when the other is ready too."""

    async def send() -> Answer:
        async with httpx.AsyncClient(timeout=30) as http:
            node = NodeSimulator(payments_url, NODE_SECRET, http=http)
            body = node.receipt(receipt)
            await http.get(f"{payments_url}/health")  # the connection is open before the race
            barrier.wait(timeout=30)
            return await node.post("paSendRTV2", body)

    return asyncio.run(send())
