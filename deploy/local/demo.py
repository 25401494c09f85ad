"""Loads demo data into the running services and prints where to reach them and what to try.

Run by `make up`. The demo family is created once; its ids and the terminal's token are kept in
$REFETTORIO_HOME/demo.json, so running it again only prints the walk-through.
"""

import json
import os
from pathlib import Path

import httpx

ACCOUNTS, ATTENDANCE, PAYMENTS = "http://127.0.0.1:8001", "http://127.0.0.1:8002", "http://127.0.0.1:8003"
OFFICE = {"Authorization": "Bearer dev-office-token"}
SERVICE = {"Authorization": "Bearer dev-service-token"}
STATE = Path(os.environ.get("REFETTORIO_HOME", Path.home() / ".cache/refettorio")) / "demo.json"


def create() -> dict[str, str]:
    family = httpx.post(
        f"{ACCOUNTS}/office/families",
        headers=OFFICE,
        json={
            "holder_tax_code": "RSSMRA80A01H501U",
            "holder_first_name": "Mario",
            "holder_last_name": "Rossi",
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
    return {
        "account_id": body["account_id"],
        "giulia": body["student_ids"][0],
        "luca": body["student_ids"][1],
        "terminal_token": terminal.json()["token"],
    }


def main() -> None:
    if STATE.exists():
        demo = json.loads(STATE.read_text())
    else:
        demo = create()
        STATE.write_text(json.dumps(demo, indent=2))
    a, t = demo["account_id"], demo["terminal_token"]
    print(f"""
Refettorio is running.
  accounts (gateway)  {ACCOUNTS}/docs      office token: dev-office-token
  attendance          {ATTENDANCE}/docs
  payments            {PAYMENTS}/docs
  notifications       http://127.0.0.1:8004/docs
  AsyncAPI            <service>/asyncapi.json      logs: {STATE.parent}/logs

Demo family: Mario Rossi, account {a}; Giulia (4A) and Luca (2B) at primaria-garibaldi.
Try it:
  # the balance
  curl -s -H 'Authorization: Bearer dev-office-token' {ACCOUNTS}/accounts/{a}
  # the school terminal: Luca is absent today, then the day closes
  curl -s -X PUT -H 'Authorization: Bearer {t}' -H 'Content-Type: application/json' \\
       -d '{{"absent_student_ids": ["{demo["luca"]}"]}}' \\
       {ATTENDANCE}/schools/primaria-garibaldi/days/$(date +%F)/classes/2B/absences
  curl -s -X POST -H 'Authorization: Bearer {t}' {ATTENDANCE}/schools/primaria-garibaldi/days/$(date +%F)/close
  # a € 20,00 receipt from pagoPA
  curl -s -X POST -H 'Authorization: Bearer dev-service-token' -H 'Content-Type: application/json' \\
       -d '{{"receipt_id": "demo-'$(date +%s)'", "account_id": "{a}", "amount_cents": 2000, "notice_number": "301000000000000001", "iuv": "01000000000000001"}}' \\
       {PAYMENTS}/internal/receipts
  # the movements
  curl -s -H 'Authorization: Bearer dev-office-token' {ACCOUNTS}/accounts/{a}/movements
""")


if __name__ == "__main__":
    main()
