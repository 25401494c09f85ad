"""Two processes of every service, one of each killed mid-journey (SIGKILL, as a crash): the
survivors take over the dead ones' partitions, relay and schedule, and at the end every movement is
booked once and every message sent once.

The processes are the test's own (their databases and topics too), apart from the session's
`system`; the other services call the first replica of each, where a load balancer would stand,
and the test itself talks to both replicas until the second ones die."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from testkit import processes
from testkit.acting import ForPerson
from testkit.data import tax_code
from testkit.databases import scratch_database
from testkit.infra import SERVICES, Infra
from testkit.io import FakeIo
from testkit.kafka import eventually, topics
from testkit.oidc import ProviderProcess
from testkit.processes import ServiceProcess
from testkit.smtp import Mailbox

from ..aca_stand_in import AcaStandIn
from ..conftest import NODE_SECRET, OFFICE_TOKEN, SERVICE_TOKEN, service_env
from ..pagopa_node_simulator import CheckoutSimulator, NodeSimulator

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
SCHOOL, CLASS = f"primaria-{uuid.uuid4().hex[:8]}", "2B"
DAY_1, DAY_2 = date(2026, 11, 23), date(2026, 11, 24)  # a Monday and a Tuesday of the school year
# Reminders as soon as a balance is negative, looked for every second by each notifications
# process: two replicas run the schedule, and the family must still get one reminder.
REMINDERS_AT_ONCE = {
    "NOTIFICATIONS_REMINDER_AFTER_DAYS": "0",
    "NOTIFICATIONS_REMINDER_HOUR": "0",
    "NOTIFICATIONS_REMINDER_INTERVAL_SECONDS": "1",
}

Replicas = dict[str, list[ServiceProcess]]


@pytest.fixture
async def replicas(
    infra: Infra,
    kafka: str,
    e2e_mailbox: Mailbox,
    e2e_io: FakeIo,
    checkout: CheckoutSimulator,
    aca: AcaStandIn,
    identity_provider: ProviderProcess,
    tmp_path: Path,
) -> AsyncIterator[Replicas]:
    async with contextlib.AsyncExitStack() as stack:
        urls = {
            name: await stack.enter_async_context(scratch_database(infra.database_urls[name], f"replicas_{name}"))
            for name in SERVICES
        }
        prefix = await stack.enter_async_context(topics(kafka, f"r{uuid.uuid4().hex[:8]}."))
        env = service_env(infra, prefix, e2e_mailbox, e2e_io, checkout, aca, identity_provider, urls)
        with processes.replicated(list(SERVICES), 2, env | REMINDERS_AT_ONCE, tmp_path, 480) as started:
            yield started


def family(surname: str, *children: str) -> dict[str, Any]:
    return {
        "holder_tax_code": tax_code(),
        "holder_first_name": "Elena",
        "holder_last_name": surname,
        "email": f"{surname.lower()}-{uuid.uuid4().hex[:6]}@example.it",
        "students": [
            {
                "tax_code": tax_code(year=2018),
                "first_name": child,
                "last_name": surname,
                "school_year": "2026/2027",
                "school_id": SCHOOL,
                "class_id": CLASS,
            }
            for child in children
        ],
    }


@pytest.mark.timeout(900)  # eight processes start at once, on two cores
async def test_a_journey_on_two_replicas_survives_losing_one_of_each(replicas: Replicas, e2e_mailbox: Mailbox) -> None:
    first = {name: started[0].url for name, started in replicas.items()}
    second = {name: started[1].url for name, started in replicas.items()}
    async with httpx.AsyncClient(timeout=15) as http:
        # Enrol: one family on each accounts process. The days are gone by: the office records
        # them (a terminal acts on its school's today only), on the second attendance first.
        a_body, b_body = family("Galli", "Pietro", "Irene"), family("Russo", "Tea")
        a = await registered(http, first["accounts"], a_body)
        b = await registered(http, second["accounts"], b_body)
        pietro, irene = a["student_ids"]
        office_day = f"/office/schools/{SCHOOL}/days"
        late = {"reason": "Registro cartaceo della mensa"}

        async def absent(base: str, day: date, *students: str) -> bool:  # refused until the roster has them
            response = await http.put(
                f"{base}{office_day}/{day}/classes/{CLASS}/absences",
                headers=SERVICE,
                auth=ForPerson("attendance"),
                json={"absent_student_ids": list(students)},
            )
            return response.status_code == 204

        async def balances_are(expected_a: int, expected_b: int) -> bool:
            found = [await balance(http, first["accounts"], f["account_id"]) for f in (a, b)]
            return found == [expected_a, expected_b]

        # Family A tops up € 20,00 at a tabaccheria (the second payments process answers the node).
        await pay(http, second["payments"], a, a_body, 2000)
        await eventually(lambda: balances_are(2000, 0), timeout=60)
        # Its confirmation is out before any process dies: a message interrupted while being sent is
        # abandoned, not resent (at most once), and this journey counts every message.
        confirmation = "Ricarica del conto mensa ricevuta"
        await eventually(lambda: confirmation in subjects(e2e_mailbox, a_body["email"]), timeout=60)

        # Day 1: Irene is absent; Pietro and Tea eat. The second attendance, accounts and payments
        # die as the day closes; the second notifications once the debtor was reminded.
        await eventually(lambda: absent(second["attendance"], DAY_1, pietro, irene, b["student_ids"][0]), timeout=60)
        assert await absent(second["attendance"], DAY_1, irene)
        closed = await http.post(
            f"{second['attendance']}{office_day}/{DAY_1}/close",
            headers=SERVICE,
            json=late,
            auth=ForPerson("attendance"),
        )
        assert closed.json()["meals"] == 2, closed.text
        for name in ("attendance", "accounts", "payments"):
            replicas[name][1].kill()

        # The survivors carry on: the charges land once, the debtor gets one reminder.
        await eventually(lambda: balances_are(1550, -450), timeout=90)
        reminder = "Sollecito di pagamento del servizio mensa"
        await eventually(lambda: subjects(e2e_mailbox, b_body["email"]).count(reminder) == 1, timeout=60)
        await asyncio.sleep(3)  # three more rounds of both processes' schedules, the debt still due
        replicas["notifications"][1].kill()

        # Family B pays its debt; day 2 on the first attendance (nobody absent); a broadcast.
        await pay(http, first["payments"], b, b_body, 1000)
        await eventually(lambda: balances_are(1550, 550), timeout=60)
        assert await absent(first["attendance"], DAY_2)
        closed = await http.post(
            f"{first['attendance']}{office_day}/{DAY_2}/close", headers=SERVICE, json=late, auth=ForPerson("attendance")
        )
        assert closed.json()["meals"] == 3, closed.text
        broadcast = {"school_id": SCHOOL, "subject": "Mensa chiusa venerdì", "message": "La mensa resta chiusa."}
        accepted = await http.post(f"{first['accounts']}/office/broadcasts", headers=OFFICE, json=broadcast)
        assert accepted.status_code == 202, accepted.text
        await eventually(lambda: balances_are(650, 100), timeout=90)

        for f, causes in ((a, ["meal", "meal", "meal", "top_up"]), (b, ["meal", "meal", "top_up"])):
            moves = await http.get(f"{first['accounts']}/accounts/{f['account_id']}/movements", headers=OFFICE)
            assert sorted(m["cause"] for m in moves.json()["items"]) == causes

    expected = {"Mensa chiusa venerdì", confirmation}  # each family's last ones, in no set order
    for address in (a_body["email"], b_body["email"]):

        def all_in(address: str = address) -> bool:
            return expected <= set(subjects(e2e_mailbox, address))

        await eventually(all_in, timeout=90)
        await asyncio.sleep(2)  # a duplicate, if any, would come right after
        sent = subjects(e2e_mailbox, address)
        assert sent.count(confirmation) == 1, sent
        assert sorted(sent) == sorted(set(sent)), f"a message sent twice: {sent}"
        ids = [m["Message-ID"] for m in e2e_mailbox.to(address)]
        assert len(ids) == len(set(ids)), ids
    assert subjects(e2e_mailbox, b_body["email"]).count(reminder) == 1
    assert reminder not in subjects(e2e_mailbox, a_body["email"])  # A was never in debt
    for survivor in (started[0] for started in replicas.values()):
        assert survivor.process.poll() is None, survivor.tail()


async def registered(http: httpx.AsyncClient, accounts: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(f"{accounts}/office/families", headers=OFFICE, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def balance(http: httpx.AsyncClient, accounts: str, account: str) -> int:
    response = await http.get(f"{accounts}/accounts/{account}", headers=OFFICE)
    return int(response.json()["balance"]["cents"])


async def pay(http: httpx.AsyncClient, payments: str, family: dict[str, Any], body: dict[str, Any], cents: int) -> None:
    """A notice for the family, paid at a counter through the pagoPA node's SOAP calls."""
    debtor = {"debtor_tax_code": body["holder_tax_code"], "debtor_name": f"Elena {body['holder_last_name']}"}
    notice = await http.post(
        f"{payments}/internal/notices",
        headers=SERVICE,
        json={"account_id": family["account_id"], "amount_cents": cents} | debtor,
    )
    assert notice.status_code == 201, notice.text
    answer, _ = await NodeSimulator(payments, NODE_SECRET, http=http).pay_at_counter(notice.json()["notice_number"])
    assert answer.outcome == "OK", answer.raw


def subjects(mailbox: Mailbox, address: str) -> list[str]:
    return [str(m["Subject"]) for m in mailbox.to(address)]
