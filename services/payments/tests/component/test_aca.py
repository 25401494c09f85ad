"""Every notice registered in pagoPA's ACA (played by the stand-in, which checks each request
against the official OpenAPI document): in order, after ACA comes back, refusals shown to the
office; and the node's Stand-In payment, credited once."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from testkit.data import rome_today
from testkit.kafka import eventually

from ..conftest import NODE_SECRET, simulator, stand_in  # type: ignore[import-not-found]

AcaStandIn = stand_in.AcaStandIn
Node = simulator.NodeSimulator
DUE = rome_today() + timedelta(days=30)


@pytest.fixture(autouse=True)
def conforming(aca: AcaStandIn) -> Iterator[None]:
    """No request of the test broke the official document; ACA answers normally after it."""
    before = len(aca.invalid())
    yield
    aca.clear()
    aca.up()
    assert aca.invalid()[before:] == []


async def aca_state(
    payments: httpx.AsyncClient, number: str, state: str = "registered", attempts: int = 1
) -> dict[str, Any]:
    """The notice, once its latest change for ACA is in `state` after `attempts` at least."""

    async def reached() -> dict[str, Any] | None:
        notice: dict[str, Any] = (await payments.get(f"/internal/notices/{number}")).json()
        aca = notice["aca"]
        return notice if aca and aca["state"] == state and aca["attempts"] >= attempts else None

    found: dict[str, Any] = await eventually(reached)
    return found


def sent(aca: AcaStandIn, notice: dict[str, Any]) -> list[tuple[int, int]]:
    """What ACA received for the notice: (amount, ACA's answer), in order."""
    return [(r.body["amount"], r.status) for r in aca.requests_for(notice["iuv"])]


async def test_a_notice_life_is_registered_in_order(
    payments: httpx.AsyncClient, new_notice: Any, aca: AcaStandIn
) -> None:
    created = await new_notice(2000)
    number = created["notice_number"]
    await aca_state(payments, number)
    changed = await payments.patch(f"/internal/notices/{number}", json={"amount_cents": 2500, "due_date": str(DUE)})
    assert changed.status_code == 200 and changed.json()["aca"]["change"] == "changed"
    await aca_state(payments, number)
    cancelled = await payments.post(f"/internal/notices/{number}/cancel")
    assert cancelled.json()["state"] == "cancelling" and cancelled.json()["aca"]["change"] == "cancelled"
    notice = await aca_state(payments, number)
    assert notice["state"] == "cancelled" and notice["aca"]["answer"] == "HTTP 200 INVALID"
    assert sent(aca, created) == [(2000, 200), (2500, 200), (0, 200)]
    position = aca.position("01234567897", created["iuv"])
    assert position.status == "INVALID" and position.body["nav"] == number
    assert [v["expirationDate"][:10] for v in position.versions] == [created["due_date"], str(DUE), str(DUE)]
    metrics = (await payments.get("/metrics")).text
    [registered] = [
        line for line in metrics.splitlines() if line.startswith('refettorio_aca_changes_total{outcome="registered"}')
    ]
    assert float(registered.split()[-1]) >= 3


async def test_aca_down_for_a_while_loses_nothing(
    payments: httpx.AsyncClient, new_notice: Any, aca: AcaStandIn
) -> None:
    aca.down()
    notices = [await new_notice(100 * n) for n in (1, 2, 3)]
    changed = notices[0]["notice_number"]
    await payments.patch(f"/internal/notices/{changed}", json={"amount_cents": 150})
    waiting = await aca_state(payments, changed, "pending", attempts=2)
    assert waiting["aca"]["answer"].startswith("nessuna risposta da ACA")
    backlog = (await payments.get("/internal/aca", params={"state": "pending"})).json()
    assert {n["notice_number"] for n in notices} <= {item["notice_number"] for item in backlog["items"]}
    assert backlog["pending"] >= 3 and backlog["oldest_pending_at"]
    aca.up()
    for notice in notices:
        await aca_state(payments, notice["notice_number"])
    assert [sent(aca, n) for n in notices] == [[(150, 200)], [(200, 200)], [(300, 200)]]  # the older body superseded
    backlog = (await payments.get("/internal/aca")).json()
    assert not {n["notice_number"] for n in notices} & {item["notice_number"] for item in backlog["items"]}


@pytest.mark.parametrize(("fault", "status"), [("throttle", 429), ("error", 503)])
async def test_a_throttled_or_failing_aca_is_asked_again(
    payments: httpx.AsyncClient, new_notice: Any, aca: AcaStandIn, fault: str, status: int
) -> None:
    aca.fail(fault, seconds=1.0)
    created = await new_notice(700)
    await aca_state(payments, created["notice_number"])
    answers = sent(aca, created)
    assert answers[0] == (700, status) and answers[-1] == (700, 200)
    assert [a for a in answers if a[1] == 200] == [(700, 200)]


async def test_a_refused_change_is_shown_failed_and_may_be_sent_again(
    payments: httpx.AsyncClient, new_notice: Any, aca: AcaStandIn
) -> None:
    created = await new_notice(900)
    number = created["notice_number"]
    await aca_state(payments, number)
    assert aca.mark_paid("01234567897", created["iuv"])  # the Stand-In took it: ACA refuses changes now
    await payments.patch(f"/internal/notices/{number}", json={"amount_cents": 1000})
    failed = await aca_state(payments, number, "failed")
    assert failed["aca"]["answer"].startswith("HTTP 409 Unauthorized action")
    backlog = (await payments.get("/internal/aca", params={"state": "failed"})).json()
    assert number in {item["notice_number"] for item in backlog["items"]} and backlog["failed"] >= 1
    retried = (await payments.post(f"/internal/aca/{number}/retry")).json()
    assert retried["state"] == "pending"
    again = await aca_state(payments, number, "failed", attempts=2)
    assert again["aca"]["attempts"] == 2
    assert sent(aca, created) == [(900, 200), (1000, 409), (1000, 409)]


async def test_a_stand_in_payment_for_a_notice_never_activated_is_credited_once(
    payments: httpx.AsyncClient, node: Node, new_notice: Any, aca: AcaStandIn, received: Any
) -> None:
    created = await new_notice(1800)
    await aca_state(payments, created["notice_number"])
    away = Node("http://127.0.0.1:9", NODE_SECRET, http=httpx.AsyncClient(timeout=2))  # our station, down
    assert not await away.station_answers()
    rt = await away.take_in_stand_in(created["notice_number"], aca.url)
    assert rt is not None and (rt.amount_cents, rt.stand_in) == (1800, True)
    assert await node.station_answers()  # back: the node delivers the receipt it kept
    assert (await node.send_receipt(rt)).outcome == "OK"
    assert (await node.send_receipt(rt)).fault_code == "PAA_RECEIPT_DUPLICATA"
    [event] = await received(created["account_id"], 1)
    assert (event["amount_cents"], event["receipt_id"]) == (1800, rt.receipt_id)
    assert (await payments.get(f"/internal/notices/{created['notice_number']}")).json()["state"] == "paid"
    await away.http.aclose()


async def test_a_notice_being_cancelled_can_still_be_paid_by_the_stand_in(
    payments: httpx.AsyncClient, node: Node, new_notice: Any, aca: AcaStandIn, received: Any
) -> None:
    created = await new_notice(600)
    number = created["notice_number"]
    await aca_state(payments, number)
    aca.fail("error")  # the invalidation does not get through
    assert (await payments.post(f"/internal/notices/{number}/cancel")).json()["state"] == "cancelling"
    assert (await node.verify(number)).fault_code == "PAA_PAGAMENTO_ANNULLATO"  # our station refuses it already
    rt = await node.take_in_stand_in(number, aca.url)  # ACA still holds it payable
    assert rt is not None and (await node.send_receipt(rt)).outcome == "OK"
    assert len(await received(created["account_id"], 1)) == 1
    aca.clear()
    notice = await aca_state(payments, number)
    assert notice["state"] == "paid" and notice["aca"]["answer"].startswith("HTTP 409")  # paid there too
    assert await node.take_in_stand_in(number, aca.url) is None


async def test_an_activated_notice_is_neither_changed_nor_cancelled(
    payments: httpx.AsyncClient, node: Node, new_notice: Any
) -> None:
    number = (await new_notice(400))["notice_number"]
    assert (await node.activate(number, 400)).outcome == "OK"
    assert (await payments.get(f"/internal/notices/{number}")).json()["activated"] is True
    for refused in (
        await payments.patch(f"/internal/notices/{number}", json={"amount_cents": 500}),
        await payments.post(f"/internal/notices/{number}/cancel"),
    ):
        assert refused.status_code == 409 and refused.json()["code"] == "avviso_in_pagamento"
    assert (await node.verify(number)).outcome == "OK"  # still payable, until its receipt or due date


async def test_bad_changes_are_refused(payments: httpx.AsyncClient, new_notice: Any) -> None:
    number = (await new_notice())["notice_number"]
    for bad in ({}, {"amount_cents": 0}, {"due_date": str(rome_today() - timedelta(days=2))}):
        response = await payments.patch(f"/internal/notices/{number}", json=bad)
        assert response.status_code == 422 and response.json()["code"] == "richiesta_non_valida", bad
    assert (await payments.patch("/internal/notices/302999999999999999", json={"amount_cents": 1})).status_code == 404
