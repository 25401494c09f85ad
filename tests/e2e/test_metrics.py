"""The operator's figures move when families use the service: a top-up paid at a counter shows in
the metrics of payments (the node's operations), accounts (the ledger's movements, the consumers'
batches and lag, the HTTP routes) and notifications (the confirmation email sent)."""

import httpx
from prometheus_client.parser import text_string_to_metric_families

from testkit.data import tax_code
from testkit.kafka import eventually
from testkit.processes import ServiceProcess

from ..conftest import NODE_SECRET, OFFICE_TOKEN, SERVICE_TOKEN
from ..pagopa_node_simulator import NodeSimulator

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


async def scrape(
    http: httpx.AsyncClient, service: ServiceProcess
) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = (await http.get(f"{service.url}/metrics")).text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


# What must have grown once the payment is through: (service, metric, labels).
GREW = {
    "payments: the node's receipt answered OK": (
        "payments",
        "refettorio_pagopa_operations_total",
        {"operation": "paSendRTV2", "outcome": "OK"},
    ),
    "accounts: a top-up booked": ("accounts", "refettorio_ledger_movements_total", {"cause": "top_up"}),
    "accounts: a payment batch consumed": (
        "accounts",
        "refettorio_consumer_batch_records_count",
        {"group": "accounts.credit-top-up"},
    ),
    "accounts: the office's route answered": (
        "accounts",
        "refettorio_http_requests_total",
        {"route": "/office/families", "status": "201"},
    ),
    "notifications: the confirmation email sent": (
        "notifications",
        "refettorio_deliveries_total",
        {"channel": "email", "state": "sent"},
    ),
}


async def test_a_counter_payment_moves_every_family_of_figures(system: dict[str, ServiceProcess]) -> None:
    accounts, payments, notifications = system["accounts"], system["payments"], system["notifications"]
    async with httpx.AsyncClient(timeout=15) as http:
        before = {s.name: await scrape(http, s) for s in (accounts, payments, notifications)}
        holder = tax_code()
        family = await http.post(
            f"{accounts.url}/office/families",
            headers=OFFICE,
            json={
                "holder_tax_code": holder,
                "holder_first_name": "Rita",
                "holder_last_name": "Conta",
                "email": "rita.conta@example.it",
                "students": [
                    {
                        "tax_code": tax_code(year=2018),
                        "first_name": "Ugo",
                        "last_name": "Conta",
                        "school_year": "2026/2027",
                        "school_id": "scuola-metriche",
                        "class_id": "1A",
                    }
                ],
            },
        )
        assert family.status_code == 201, family.text
        account = family.json()["account_id"]
        notice = await http.post(
            f"{payments.url}/internal/notices",
            headers=SERVICE,
            json={"account_id": account, "amount_cents": 1200, "debtor_tax_code": holder, "debtor_name": "Rita Conta"},
        )
        answer, _ = await NodeSimulator(payments.url, NODE_SECRET, http=http).pay_at_counter(
            notice.json()["notice_number"]
        )
        assert answer.outcome == "OK", answer.raw

        async def scrape_all() -> dict[str, dict[tuple[str, frozenset[tuple[str, str]]], float]]:
            return {s.name: await scrape(http, s) for s in (accounts, payments, notifications)}

        def grown(after: dict[str, dict[tuple[str, frozenset[tuple[str, str]]], float]], what: str) -> bool:
            service, name, labels = GREW[what]
            return total(after[service], name, **labels) > total(before[service], name, **labels)

        async def all_grown() -> dict[str, dict[tuple[str, frozenset[tuple[str, str]]], float]] | None:
            after = await scrape_all()  # other journeys' work may move some figures first: wait for all
            return after if all(grown(after, what) for what in GREW) else None

        try:
            after = await eventually(all_grown, timeout=60)
        except AssertionError:
            after = await scrape_all()  # the assertions below name the figure that did not move
    for what in GREW:
        assert grown(after, what), what
    assert any(n == "refettorio_outbox_pending_rows" for n, _ in after["payments"])
    assert any(n == "refettorio_consumer_lag_records" for n, _ in after["accounts"])
