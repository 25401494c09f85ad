import asyncio
import json
import uuid

import httpx

from shared.testing.kafka import read_all


def receipt(account_id: str, cents: int = 2500) -> dict[str, object]:
    return {
        "receipt_id": uuid.uuid4().hex,
        "account_id": account_id,
        "amount_cents": cents,
        "notice_number": "301000000000012345",
        "iuv": "01000000000012345",
        "psp": "tabaccheria",
    }


async def test_the_same_receipt_fifty_times_is_one_payment(
    payments: httpx.AsyncClient, kafka: str, topic_prefix: str
) -> None:
    account_id = str(uuid.uuid4())
    body = receipt(account_id)
    responses = await asyncio.gather(*(payments.post("/internal/receipts", json=body) for _ in range(50)))
    assert sorted(r.status_code for r in responses) == [200] * 49 + [201]
    assert len({r.json()["payment_id"] for r in responses}) == 1
    received = [
        json.loads(r.value)["data"]
        for r in await read_all(kafka, f"{topic_prefix}payment-received", expect=1, settle=1.0)
    ]
    mine = [p for p in received if p["account_id"] == account_id]
    assert len(mine) == 1 and mine[0]["amount_cents"] == 2500


async def test_bad_receipts_are_refused(payments: httpx.AsyncClient) -> None:
    for cents in (0, -100, 12.5):
        response = await payments.post("/internal/receipts", json=receipt(str(uuid.uuid4()), cents))  # type: ignore[arg-type]
        assert response.status_code == 422, cents
    response = await payments.post(
        "/internal/receipts", json=receipt(str(uuid.uuid4())), headers={"Authorization": "Bearer wrong"}
    )
    assert response.status_code == 401
