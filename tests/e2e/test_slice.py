"""The platform's thin slice on real processes: enrol, attend, charge, pay at a tabaccheria, redeliver."""

import json
import signal
import uuid
from datetime import date

import httpx

from testkit.data import tax_code
from testkit.kafka import eventually, publish, read_all
from testkit.processes import ServiceProcess

from ..conftest import NODE_SECRET, OFFICE_TOKEN, SERVICE_TOKEN
from ..pagopa_node_simulator import NodeSimulator

SCHOOL, CLASS = f"primaria-{uuid.uuid4().hex[:8]}", "3C"
OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


def child(name: str) -> dict[str, str]:
    return {
        "tax_code": tax_code(year=2017),
        "first_name": name,
        "last_name": "Verdi",
        "school_year": "2026/2027",
        "school_id": SCHOOL,
        "class_id": CLASS,
    }


async def test_meals_and_top_ups_reach_the_balance_once(
    system: dict[str, ServiceProcess], kafka: str, e2e_prefix: str
) -> None:
    accounts, attendance, payments = (system[n].url for n in ("accounts", "attendance", "payments"))
    async with httpx.AsyncClient(timeout=10) as http:
        # The office registers two families: A with two children, B with one.
        holder_a = tax_code()
        a = (
            await http.post(
                f"{accounts}/office/families",
                headers=OFFICE,
                json={
                    "holder_tax_code": holder_a,
                    "holder_first_name": "Anna",
                    "holder_last_name": "Verdi",
                    "email": "anna.verdi@example.it",
                    "students": [child("Marco"), child("Sara")],
                },
            )
        ).json()
        b = (
            await http.post(
                f"{accounts}/office/families",
                headers=OFFICE,
                json={
                    "holder_tax_code": tax_code(),
                    "holder_first_name": "Bruno",
                    "holder_last_name": "Neri",
                    "students": [child("Leo")],
                },
            )
        ).json()
        marco, sara = a["student_ids"]

        # The days are gone by: the office records them (a terminal acts on its school's today only).
        office_day = f"{attendance}/office/schools/{SCHOOL}/days"
        late = {"reason": "Registro cartaceo della mensa"}

        async def absent(day: date, *students: str) -> bool:  # refused while the roster lacks one
            response = await http.put(
                f"{office_day}/{day}/classes/{CLASS}/absences",
                headers=SERVICE,
                json={"absent_student_ids": list(students)},
            )
            return response.status_code == 204

        async def balance(account: str) -> int:
            response = await http.get(f"{accounts}/accounts/{account}", headers=OFFICE)
            return int(response.json()["balance"]["cents"])

        async def balances_are(expected_a: int, expected_b: int) -> bool:
            return (await balance(a["account_id"]), await balance(b["account_id"])) == (expected_a, expected_b)

        # Day 1: Sara is absent; Marco and Leo eat.
        day1 = date(2026, 11, 23)
        await eventually(lambda: absent(day1, marco, sara, b["student_ids"][0]))  # the roster knows all
        assert await absent(day1, sara)
        close = await http.post(f"{office_day}/2026-11-23/close", headers=SERVICE, json=late)
        assert close.json() == {"school_id": SCHOOL, "service_date": "2026-11-23", "meals": 2, "already_closed": False}
        await eventually(lambda: balances_are(-450, -450))

        # Family A pays € 20,00 at a tabaccheria: a notice, paid through the node's SOAP calls.
        async def pay(cents: int) -> None:
            notice = await http.post(
                f"{payments}/internal/notices",
                headers=SERVICE,
                json={
                    "account_id": a["account_id"],
                    "amount_cents": cents,
                    "debtor_tax_code": holder_a,
                    "debtor_name": "Anna Verdi",
                },
            )
            assert notice.status_code == 201, notice.text
            answer, _ = await NodeSimulator(payments, NODE_SECRET, http=http).pay_at_counter(
                notice.json()["notice_number"]
            )
            assert answer.outcome == "OK", answer.raw

        await pay(2000)
        await eventually(lambda: balances_are(1550, -450))

        # Redeliver both facts exactly as they were on the wire (same event ids).
        for topic in ("meal-consumed", "payment-received"):
            for record in await read_all(kafka, e2e_prefix + topic, expect=1):
                if json.loads(record.value)["data"]["account_id"] == a["account_id"]:
                    await publish(kafka, e2e_prefix + topic, record.value, key=record.key.decode())

        # Day 2 and a second top-up come after the redelivered copies on the same partitions:
        # when they are applied, the copies were consumed, and they must have changed nothing.
        assert await absent(date(2026, 11, 24), sara)
        await http.post(f"{office_day}/2026-11-24/close", headers=SERVICE, json=late)
        await pay(100)
        await eventually(lambda: balances_are(1550 - 450 + 100, -900))

        movements = (await http.get(f"{accounts}/accounts/{a['account_id']}/movements", headers=OFFICE)).json()["items"]
        assert sorted(m["cause"] for m in movements) == ["meal", "meal", "top_up", "top_up"]
        view = (await http.get(f"{accounts}/accounts/{a['account_id']}", headers=OFFICE)).json()
        assert view["balance"] == {"cents": 1200, "display": "€ 12,00"}


def test_services_stop_cleanly_on_sigterm(system: dict[str, ServiceProcess]) -> None:
    # Last of the run (tests/conftest.py sorts it there): stopping them is what the fixture would do anyway.
    # uvicorn re-raises the signal once its shutdown is complete, so -SIGTERM is a clean exit
    # too; what matters is that the lifespan stopped the consumers and the relay.
    for name, service in system.items():
        code = service.stop()
        log = service.log.read_text()
        assert code in (0, -signal.SIGTERM), f"{name} exited {code}:\n{service.tail()}"
        assert '"service stopped"' in log and "Application shutdown complete" in log, name
