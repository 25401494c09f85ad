"""Loads demo data into the running services and prints where to reach them and what to try.

Run by `make up`. The demo family is created once; its ids and the terminal's token are kept in
$REFETTORIO_HOME/demo.json, so running it again only prints the walk-through.
"""

import asyncio
import json
import os
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from identities import GUARDIAN, HOLDER, STAFF, STRANGER  # the SPID/CIE stand-in's demo people
from pagopa_node_simulator import NodeSimulator  # the pagoPA node, outside the services

ACCOUNTS, ATTENDANCE, PAYMENTS = "http://127.0.0.1:8001", "http://127.0.0.1:8002", "http://127.0.0.1:8003"
OFFICE = {"Authorization": "Bearer dev-office-token"}
SERVICE = {"Authorization": "Bearer dev-service-token"}
STATE = Path(os.environ.get("REFETTORIO_HOME", Path.home() / ".cache/refettorio")) / "demo.json"


def create() -> dict[str, str]:
    family = httpx.post(
        f"{ACCOUNTS}/office/families",
        headers=OFFICE,
        json={
            "holder_tax_code": HOLDER.tax_code,
            "holder_first_name": HOLDER.first_name,
            "holder_last_name": HOLDER.last_name,
            "email": "mario.rossi@example.it",
            "phone": "+39 333 1234567",
            "students": [
                {
                    "tax_code": "RSSGLI16A41H501J",
                    "first_name": "Giulia",
                    "last_name": "Rossi",
                    "school_year": "2026/2027",
                    "school_id": "primaria-garibaldi",
                    "class_id": "4A",
                },
                {
                    "tax_code": "RSSLCU18C12H501J",
                    "first_name": "Luca",
                    "last_name": "Rossi",
                    "school_year": "2026/2027",
                    "school_id": "primaria-garibaldi",
                    "class_id": "2B",
                },
            ],
        },
    )
    family.raise_for_status()
    terminal = httpx.post(f"{ATTENDANCE}/office/terminals", headers=SERVICE, json={"school_id": "primaria-garibaldi"})
    terminal.raise_for_status()
    body = family.json()
    guardian = httpx.post(  # the holder needs no registration: SPID/CIE name them by fiscal code
        f"{ACCOUNTS}/office/users",
        headers=OFFICE,
        json={"tax_code": GUARDIAN.tax_code, "role": "parent", "account_id": body["account_id"]},
    )
    guardian.raise_for_status()
    top_up(body["account_id"], 2000)
    return {
        "account_id": body["account_id"],
        "giulia": body["student_ids"][0],
        "luca": body["student_ids"][1],
        "terminal_token": terminal.json()["token"],
    }


def top_up(account_id: str, cents: int) -> str:
    """A notice for the family, paid at a (simulated) tabaccheria through the node's SOAP calls."""
    notice = httpx.post(
        f"{PAYMENTS}/internal/notices",
        headers=SERVICE,
        json={
            "account_id": account_id,
            "amount_cents": cents,
            "debtor_tax_code": "RSSMRA80A01H501U",
            "debtor_name": "Mario Rossi",
        },
    )
    notice.raise_for_status()
    number: str = notice.json()["notice_number"]

    async def pay() -> None:
        node = NodeSimulator(PAYMENTS, "dev-node-secret")
        answer, _ = await node.pay_at_counter(number)
        await node.http.aclose()
        if answer.outcome != "OK":
            raise RuntimeError(f"the simulated payment failed: {answer.fault_code}")

    asyncio.run(pay())
    return number


def _issuer() -> str:
    kept = STATE.parent / "oidc.env"
    return kept.read_text().strip().split("=", 1)[1] if kept.exists() else "not running"


def main() -> None:
    if STATE.exists():
        demo = json.loads(STATE.read_text())
    else:
        demo = create()
        STATE.write_text(json.dumps(demo, indent=2))
    a, t = demo["account_id"], demo["terminal_token"]
    provider = os.environ.get("ACCOUNTS_OIDC_ISSUER") or _issuer()
    people = "\n".join(
        f"    {i.sub:<14} {i.first_name} {i.last_name}: {i.who}" for i in (HOLDER, GUARDIAN, STRANGER, *STAFF)
    )
    print(f"""
Refettorio is running.
  accounts (gateway)  {ACCOUNTS}/docs      office token: dev-office-token
  attendance          {ATTENDANCE}/docs
  payments            {PAYMENTS}/docs
  notifications       http://127.0.0.1:8004/docs
  AsyncAPI            <service>/asyncapi.json      logs: {STATE.parent}/logs

  mail and SMS sent  {STATE.parent}/mail/*.eml and sms/*.json (local catcher, SMTP 127.0.0.1:1025)
  app IO messages    {STATE.parent}/io/*.json (local IO stand-in, http://127.0.0.1:1027/api/v1)

Demo family: Mario Rossi, account {a}; Giulia (4A) and Luca (2B) at primaria-garibaldi.
The parents' portal: {ACCOUNTS}/  ("Accedi" -> "Entra con SPID" or "Entra con CIE")
  The SPID/CIE stand-in ({provider}) offers these identities as buttons:
{people}
  The Scrivania updates by itself: pay a notice (below) and watch the balance change.
  For the JSON API, a portal session is a bearer token: copy the cookie refettorio_sessione
  from the browser, then
  curl -s -H "Authorization: Bearer <cookie>" {ACCOUNTS}/me
  # "Esegui ricarica" with that session: a pagoPA notice of € 15,00, also sent to the app IO
  # ("invia all'app IO", payable from there: see io/*.json)
  curl -s -X POST -H "Authorization: Bearer <cookie>" -H 'Content-Type: application/json' \\
       -d '{{"amount_cents": 1500, "send_to_io": true}}' {ACCOUNTS}/accounts/{a}/top-ups
Try it as the school office and the school terminal:
  # the balance
  curl -s -H 'Authorization: Bearer dev-office-token' {ACCOUNTS}/accounts/{a}
  # the school terminal: Luca is absent today, then the day closes
  curl -s -X PUT -H 'Authorization: Bearer {t}' -H 'Content-Type: application/json' \\
       -d '{{"absent_student_ids": ["{demo["luca"]}"]}}' \\
       {ATTENDANCE}/schools/primaria-garibaldi/days/$(TZ=Europe/Rome date +%F)/classes/2B/absences
  curl -s -X POST -H 'Authorization: Bearer {t}' {ATTENDANCE}/schools/primaria-garibaldi/days/$(TZ=Europe/Rome date +%F)/close
  # a € 20,00 top-up through pagoPA: a payment notice (and its PDF), paid at a simulated tabaccheria
  N=$(curl -s -X POST -H 'Authorization: Bearer dev-service-token' -H 'Content-Type: application/json' \\
       -d '{{"account_id": "{a}", "amount_cents": 2000, "debtor_tax_code": "RSSMRA80A01H501U", "debtor_name": "Mario Rossi"}}' \\
       {PAYMENTS}/internal/notices | python3 -c 'import json, sys; print(json.load(sys.stdin)["notice_number"])')
  curl -s -H 'Authorization: Bearer dev-service-token' -o avviso.pdf {PAYMENTS}/internal/notices/$N/pdf
  .venv/bin/python tests/pagopa_node_simulator.py --url {PAYMENTS} --notice $N
  # the day's pagoPA reconciliation (JSON; add ?format=csv for the spreadsheet)
  curl -s -H 'Authorization: Bearer dev-service-token' {PAYMENTS}/internal/reconciliation/$(TZ=Europe/Rome date +%F)
  # the movements
  curl -s -H 'Authorization: Bearer dev-office-token' {ACCOUNTS}/accounts/{a}/movements
""")


if __name__ == "__main__":
    main()
