"""Esegui ricarica with "invia all'app IO", across the four services as real processes: the
gateway asks payments for the notice, accounts publishes the request, notifications sends the
notice to the holder's app IO (the stand-in checks each request against IO's document), and the
office reads the IO delivery beside email."""

import uuid

import httpx

from testkit.data import tax_code
from testkit.io import FakeIo
from testkit.kafka import eventually
from testkit.processes import ServiceProcess

from .test_gateway import OFFICE, register


async def test_a_top_up_sent_to_the_app_io_can_be_paid_from_there(
    system: dict[str, ServiceProcess], e2e_io: FakeIo
) -> None:
    holder = tax_code(year=1982)
    with e2e_io.lock:
        e2e_io.citizens[holder] = True
    requests_before = len(e2e_io.requests)
    async with httpx.AsyncClient(base_url=system["accounts"].url, timeout=15) as http:
        email = f"io-{uuid.uuid4().hex[:8]}@example.it"
        family = await register(http, "Lia Moro", "Ivo", "s-io", email=email, holder=holder)
        account = family["account_id"]
        started = await http.post(
            f"/accounts/{account}/top-ups", headers=OFFICE, json={"amount_cents": 2500, "send_to_io": True}
        )
        assert started.status_code == 201, started.text
        notice = started.json()

        await eventually(lambda: bool(e2e_io.to(holder)), timeout=30)
        [message] = e2e_io.to(holder)
        assert message["content"]["payment_data"] == {
            "notice_number": notice["notice_number"],
            "amount": 2500,
            "payee": {"fiscal_code": notice["creditor_fiscal_code"]},
            "invalid_after_due_date": True,
        }
        assert message["content"]["due_date"].startswith(notice["due_date"])  # 23:59:59 in Rome, UTC the same day

        async def logged() -> list[dict[str, str]] | None:
            rows = (await http.get(f"/office/accounts/{account}/deliveries", headers=OFFICE)).json()
            return rows if any(r["channel"] == "io" and r["state"] == "sent" for r in rows) else None

        deliveries = await eventually(logged, timeout=30)
        assert [(d["rule"], d["channel"]) for d in deliveries] == [("payment_notice", "io")]
        assert holder not in str(deliveries)
    assert [r["errors"] for r in e2e_io.requests[requests_before:] if r["errors"]] == []
