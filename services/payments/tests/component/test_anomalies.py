"""Receipt anomalies resolved by the office (through the gateway, as a person): listed, resolved
once by a responsabile (an operatore is refused), a credit is one payment-received of its own,
a second resolution is a 409 with an Italian message; the outbox backlog route; the top-ups per
day, online or at a counter."""

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx

from shared.acting import Person
from testkit.acting import ForPerson
from testkit.data import rome_today

from ..conftest import simulator  # type: ignore[import-not-found]

MANAGER = ForPerson("payments", Person(str(uuid.uuid4()), "manager"))
ReceiptData = simulator.ReceiptData


async def _second_receipt(node: Any, new_notice: Any, cents: int = 1000) -> tuple[dict[str, Any], str]:
    """A notice paid once, then paid again: the second receipt is kept as an anomaly."""
    paid = await new_notice(cents)
    assert (await node.pay_at_counter(paid["notice_number"]))[0].outcome == "OK"
    again = ReceiptData(paid["notice_number"], paid["iuv"], cents)
    assert (await node.send_receipt(again)).outcome == "OK"
    return paid, again.receipt_id


async def _resolve(payments: httpx.AsyncClient, receipt_id: str, outcome: str, auth: httpx.Auth) -> httpx.Response:
    body = {"outcome": outcome, "reason": "Pagato due volte dalla stessa famiglia"}
    return await payments.post(f"/office/anomalies/{receipt_id}/resolve", json=body, auth=auth)


async def test_a_credit_is_one_payment_received_once_and_a_second_resolution_is_refused(
    node: Any, payments: httpx.AsyncClient, new_notice: Any, received: Any
) -> None:
    paid, receipt_id = await _second_receipt(node, new_notice)
    listed = (await payments.get("/office/anomalies", params={"unresolved": "true"})).json()
    ours = next(a for a in listed if a["receipt_id"] == receipt_id)
    assert (ours["kind"], ours["amount_cents"], ours["resolved_at"]) == ("second_receipt", 1000, None)

    refused = await _resolve(payments, receipt_id, "credit", ForPerson("payments"))  # an operatore
    assert refused.status_code == 403 and refused.json()["code"] == "accesso_negato"

    answers = await asyncio.gather(*(_resolve(payments, receipt_id, "credit", MANAGER) for _ in range(5)))
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409, 409]
    done = next(a.json() for a in answers if a.status_code == 200)
    assert done["outcome"] == "credit" and done["resolved_by"].startswith("manager:") and done["resolved_at"]
    late = next(a.json() for a in answers if a.status_code == 409)
    assert late["code"] == "anomalia_gia_risolta" and "già stata risolta" in late["message"]

    events = await received(paid["account_id"], 2)
    assert sorted(e["amount_cents"] for e in events) == [1000, 1000]
    assert len({e["payment_id"] for e in events}) == 2  # the credit is a payment of its own
    assert {e["receipt_id"] for e in events} >= {receipt_id}


async def test_a_refund_or_a_dismissal_moves_no_money(
    node: Any, payments: httpx.AsyncClient, new_notice: Any, received: Any
) -> None:
    first, refunded = await _second_receipt(node, new_notice)
    second, dismissed = await _second_receipt(node, new_notice)
    assert (await _resolve(payments, refunded, "refund", MANAGER)).json()["outcome"] == "refund"
    assert (await _resolve(payments, dismissed, "dismiss", MANAGER)).json()["outcome"] == "dismiss"
    assert len(await received(first["account_id"], 1)) == 1
    assert len(await received(second["account_id"], 1)) == 1
    unresolved = {a["receipt_id"] for a in (await payments.get("/office/anomalies?unresolved=true")).json()}
    assert not {refunded, dismissed} & unresolved


async def test_a_reason_is_required_and_an_unknown_anomaly_is_404(payments: httpx.AsyncClient) -> None:
    short = await payments.post(
        "/office/anomalies/nope/resolve", json={"outcome": "credit", "reason": ""}, auth=MANAGER
    )
    assert short.status_code == 422
    unknown = await _resolve(payments, f"RT-{uuid.uuid4().hex[:10]}", "credit", MANAGER)
    assert unknown.status_code == 404 and unknown.json()["code"] == "anomalia_sconosciuta"


async def test_the_outbox_backlog_is_answered_to_staff_only(payments: httpx.AsyncClient) -> None:
    backlog = (await payments.get("/internal/outbox")).json()
    assert set(backlog) == {"pending", "stuck", "oldest_seconds"} and backlog["stuck"] == 0
    nobody = await payments.get("/internal/outbox", headers={"Refettorio-Person": ""})
    assert nobody.status_code in (401, 403)


async def test_top_ups_per_day_online_or_at_a_counter(node: Any, payments: httpx.AsyncClient, new_notice: Any) -> None:
    today = rome_today()

    async def totals() -> tuple[int, int]:
        [day] = (await payments.get("/office/top-ups", params={"first": str(today), "last": str(today)})).json()
        return day["online_cents"], day["counter_cents"]

    before = await totals()
    online, counter = await new_notice(700), await new_notice(300)
    started = await payments.post(
        f"/internal/notices/{online['notice_number']}/checkout", json={"return_url": "https://mensa.example.it/r"}
    )
    assert started.status_code == 200, started.text
    assert (await node.pay_online(online["notice_number"], cart_id=started.json()["cart_id"]))[0].outcome == "OK"
    assert (await node.pay_at_counter(counter["notice_number"]))[0].outcome == "OK"
    after = await totals()
    assert (after[0] - before[0], after[1] - before[1]) == (700, 300)
    week = await payments.get("/office/top-ups", params={"first": str(today - timedelta(days=6)), "last": str(today)})
    assert [d["day"] for d in week.json()][-1] == str(today) and len(week.json()) == 7
    backwards = await payments.get("/office/top-ups", params={"first": str(today), "last": str(today - timedelta(1))})
    assert backwards.status_code == 422 and backwards.json()["code"] == "periodo_non_valido"
