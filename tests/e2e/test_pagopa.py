"""A top-up through pagoPA on real processes: notice, counter payment, credit at the gateway.

The node and the tabaccheria are played by the simulator over real SOAP HTTP.
"""

import asyncio
import json

import httpx

from testkit.data import tax_code
from testkit.kafka import eventually, read_all
from testkit.processes import ServiceProcess

from ..conftest import NODE_SECRET, OFFICE_TOKEN, SERVICE_TOKEN
from ..pagopa_node_simulator import NodeSimulator, ReceiptData

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
CHILD = {
    "first_name": "Pietro",
    "last_name": "Gialli",
    "school_year": "2026/2027",
    "school_id": "primaria-pagopa",
    "class_id": "2B",
}


async def test_a_notice_paid_at_a_tabaccheria_tops_up_the_account_once(
    system: dict[str, ServiceProcess], kafka: str, e2e_prefix: str
) -> None:
    accounts, payments = system["accounts"].url, system["payments"].url
    holder = tax_code()
    async with httpx.AsyncClient(timeout=15) as http:
        family = await http.post(
            f"{accounts}/office/families",
            headers=OFFICE,
            json={
                "holder_tax_code": holder,
                "holder_first_name": "Lucia",
                "holder_last_name": "Gialli",
                "students": [CHILD | {"tax_code": tax_code(year=2018)}],
            },
        )
        assert family.status_code == 201, family.text
        account = family.json()["account_id"]

        async def notice(cents: int) -> dict[str, str]:
            body = {
                "account_id": account,
                "amount_cents": cents,
                "debtor_tax_code": holder,
                "debtor_name": "Lucia Gialli",
            }
            response = await http.post(f"{payments}/internal/notices", headers=SERVICE, json=body)
            assert response.status_code == 201, response.text
            created: dict[str, str] = response.json()
            return created

        async def balance_is(cents: int) -> bool:
            view = (await http.get(f"{accounts}/accounts/{account}", headers=OFFICE)).json()
            return int(view["balance"]["cents"]) == cents

        node = NodeSimulator(payments, NODE_SECRET, http=http)
        first = await notice(2500)
        answer, receipt = await node.pay_at_counter(first["notice_number"])
        assert answer.outcome == "OK", answer.raw
        await eventually(lambda: balance_is(2500))

        # The node resends the same receipt 50 times: one payment-received, one credit.
        again = await asyncio.gather(*(node.send_receipt(receipt) for _ in range(50)))
        assert {(a.outcome, a.fault_code) for a in again} == {("KO", "PAA_RECEIPT_DUPLICATA")}

        # A second top-up whose first answer is lost: the node's retry changes nothing more.
        second = await notice(1000)
        rt = ReceiptData(second["notice_number"], second["iuv"], 1000)
        _, retry = await node.deliver_with_lost_answer(rt, timeout=0.005)
        assert (retry.outcome, retry.fault_code) in {("OK", None), ("KO", "PAA_RECEIPT_DUPLICATA")}
        await eventually(lambda: balance_is(3500))

        records = await read_all(kafka, e2e_prefix + "payment-received", expect=2, settle=1.0)
        mine = [json.loads(r.value)["data"] for r in records if json.loads(r.value)["data"]["account_id"] == account]
        assert sorted(p["amount_cents"] for p in mine) == [1000, 2500]
        movements = (await http.get(f"{accounts}/accounts/{account}/movements", headers=OFFICE)).json()["items"]
        assert sorted(m["cause"] for m in movements) == ["top_up", "top_up"]
        assert await balance_is(3500)
