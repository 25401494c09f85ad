"""The gateway as a parent and the office use it, across the four services as real processes:
SPID login (through the OIDC provider process), announce an absence, read attendance,
"Esegui ricarica", pay the notice at a tabaccheria,
see the balance, get the confirmation email, and the office reads the delivery log."""

import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from testkit.data import rome_today, tax_code
from testkit.kafka import eventually
from testkit.oidc import ProviderProcess, log_in, spid_claims
from testkit.processes import ServiceProcess
from testkit.smtp import Mailbox

from ..conftest import NODE_SECRET, OFFICE_TOKEN
from ..pagopa_node_simulator import CheckoutSimulator, NodeSimulator

OFFICE = {"Authorization": f"Bearer {OFFICE_TOKEN}"}


def next_weekday() -> date:
    day = rome_today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


async def test_a_parent_tops_up_and_the_family_is_told(
    system: dict[str, ServiceProcess], e2e_mailbox: Mailbox, identity_provider: ProviderProcess
) -> None:
    accounts, payments = system["accounts"].url, system["payments"].url
    email = f"famiglia-{uuid.uuid4().hex[:8]}@example.it"
    async with httpx.AsyncClient(base_url=accounts, timeout=15) as http:
        holder = tax_code()
        school = f"scuola-{uuid.uuid4().hex[:6]}"
        family = await register(http, "Paola Conti", "Nico", school, email=email, holder=holder)
        account, student = family["account_id"], family["student_ids"][0]
        other = await register(http, "X Y", "Z", "altra")
        parent = await spid_login(http, identity_provider, holder)

        # Absence announced through the gateway (attendance answers), once the roster knows the child.
        day = next_weekday()
        announce = f"/accounts/{account}/students/{student}/absences/{day}"

        async def announced() -> bool:
            response = await http.post(announce, headers=parent)
            return response.status_code == 201

        await eventually(announced)
        month = (
            await http.get(
                f"/accounts/{account}/students/{student}/attendance", params={"month": f"{day:%Y-%m}"}, headers=parent
            )
        ).json()
        assert any(d["service_date"] == day.isoformat() and d.get("announced_by_parent") for d in month["days"])

        # "Esegui ricarica": a notice and its PDF, paid at a tabaccheria through the node.
        notice = await http.post(f"/accounts/{account}/top-ups", json={"amount_cents": 1500}, headers=parent)
        assert notice.status_code == 201, notice.text
        pdf = await http.get(notice.json()["pdf_url"], headers=parent)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        async with httpx.AsyncClient(timeout=15) as node_http:
            answer, _ = await NodeSimulator(payments, NODE_SECRET, http=node_http).pay_at_counter(
                notice.json()["notice_number"]
            )
        assert answer.outcome == "OK", answer.raw

        async def topped_up() -> bool:
            me = (await http.get("/me", headers=parent)).json()
            return bool(me["balance"]["cents"] == 1500)

        await eventually(topped_up)
        await eventually(lambda: _has_mail(e2e_mailbox, email), timeout=30)
        [confirmation] = e2e_mailbox.to(email)
        assert "€ 15,00" in confirmation.get_content()

        deliveries = (await http.get(f"/office/accounts/{account}/deliveries", headers=OFFICE)).json()
        assert any(d["channel"] == "email" and d["state"] == "sent" for d in deliveries)

        # What the parent may not reach.
        assert (await http.get(f"/accounts/{other['account_id']}", headers=parent)).status_code == 404
        theirs = f"/accounts/{account}/students/{other['student_ids'][0]}/absences/{day}"
        assert (await http.post(theirs, headers=parent)).status_code == 404
        assert (await http.get(f"/office/accounts/{account}/deliveries", headers=parent)).status_code == 403


async def test_an_online_top_up_goes_through_checkout(
    system: dict[str, ServiceProcess], checkout: CheckoutSimulator
) -> None:
    """Esegui ricarica online: accounts -> payments -> Checkout's cart API (302), then the node
    activates the notice with the cart id and sends the receipt; the credit reaches the gateway."""
    async with httpx.AsyncClient(base_url=system["accounts"].url, timeout=15) as http:
        family = await register(http, "Ada Neri", "Bo", "s-online")
        account = family["account_id"]
        started = await http.post(
            f"/accounts/{account}/top-ups", headers=OFFICE, json={"amount_cents": 3000, "online": True}
        )
        assert started.status_code == 201, started.text
        cart_id = started.json()["checkout_url"].rsplit("/", 1)[1]
        [notice] = checkout.carts[cart_id]["paymentNotices"]  # type: ignore[misc]
        assert notice == {
            "noticeNumber": started.json()["notice_number"],
            "fiscalCode": notice["fiscalCode"],
            "amount": 3000,
            "companyName": notice["companyName"],
            "description": notice["description"],
        }

        async with httpx.AsyncClient(timeout=15) as node_http:
            answer, _ = await NodeSimulator(system["payments"].url, NODE_SECRET, http=node_http).pay_online(
                started.json()["notice_number"], cart_id
            )
        assert answer.outcome == "OK", answer.raw

        async def credited() -> bool:
            view = (await http.get(f"/accounts/{account}", headers=OFFICE)).json()
            return bool(view["balance"]["cents"] == 3000)

        await eventually(credited)


async def test_a_broadcast_reaches_the_family_by_email(system: dict[str, ServiceProcess], e2e_mailbox: Mailbox) -> None:
    """The accounts -> notification-requested -> notifications contract, end to end."""
    email, school = f"avviso-{uuid.uuid4().hex[:8]}@example.it", f"scuola-{uuid.uuid4().hex[:6]}"
    async with httpx.AsyncClient(base_url=system["accounts"].url, timeout=15) as http:
        family = await register(http, "Rita Sala", "Ugo", school, email=email, class_id="1B")
        # A first debt sends the family an alert: once it arrived, notifications has projected
        # the family (its contacts and enrolment were published with it).
        debt = {"amount_cents": -100, "reason": "pasto di prova"}
        await http.post(f"/office/accounts/{family['account_id']}/adjustments", headers=OFFICE, json=debt)
        await eventually(lambda: _has_mail(e2e_mailbox, email), timeout=30)

        sent = await http.post(
            "/office/broadcasts",
            headers=OFFICE,
            json={
                "school_id": school,
                "subject": "Sciopero",
                "message": "Domani la mensa resterà chiusa.",
                "channels": ["email"],
            },
        )
        assert sent.status_code == 202
        await eventually(lambda: _has_mail(e2e_mailbox, email, "Sciopero"), timeout=30)
        [news] = [m for m in e2e_mailbox.to(email) if m["Subject"] == "Sciopero"]
        assert "Domani la mensa resterà chiusa." in news.get_content()


async def spid_login(http: httpx.AsyncClient, provider: ProviderProcess, person: str) -> dict[str, str]:
    """The person logs in at the portal with SPID (through the provider's page); the session
    they get is their bearer token on the JSON API."""
    sub = f"spid-{uuid.uuid4().hex[:8]}"
    provider.add(sub, spid_claims(person, "Paola", "Conti"))
    async with httpx.AsyncClient(base_url=http.base_url, timeout=15) as browser:
        back = await log_in(browser, sub)
        assert back.status_code == 303, back.text
        return {"Authorization": f"Bearer {browser.cookies['refettorio_sessione']}"}


async def register(
    http: httpx.AsyncClient,
    name: str,
    child: str,
    school: str,
    email: str | None = None,
    class_id: str = "1A",
    holder: str | None = None,
) -> dict[str, Any]:
    """The office registers a family with one child (accounts publishes the enrolment)."""
    first, last = name.split()
    response = await http.post(
        "/office/families",
        headers=OFFICE,
        json={
            "holder_tax_code": holder or tax_code(),
            "holder_first_name": first,
            "holder_last_name": last,
            "email": email,
            "students": [
                {
                    "tax_code": tax_code(year=2018),
                    "first_name": child,
                    "last_name": last,
                    "school_year": "2026/2027",
                    "school_id": school,
                    "class_id": class_id,
                }
            ],
        },
    )
    assert response.status_code == 201, response.text
    family: dict[str, Any] = response.json()
    return family


def _has_mail(mailbox: Mailbox, address: str, subject: str | None = None) -> bool:
    return any(subject is None or subject.lower() in m["Subject"].lower() for m in mailbox.to(address))
