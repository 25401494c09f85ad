"""The audit log on the real service: every office action names the person, with before/after
and reason; readable per family and for the whole office, filtered, as CSV; append-only in the
database. Also the adjustment above the threshold: it waits for a responsabile, then is booked
once."""

import csv
import io
import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from accounts.domain.users import Role
from testkit.oidc import ProviderProcess

from .staff import Staff, logged_in_staff
from .test_auth import portal
from .test_families import family


async def staff_member(
    office: httpx.AsyncClient, provider: ProviderProcess, engine: AsyncEngine, role: Role, name: str
) -> Staff:
    async with portal(office) as browser:
        return await logged_in_staff(browser, provider, engine, role, name)


async def balance(office: httpx.AsyncClient, account_id: str) -> int:
    answer = await office.get(f"/accounts/{account_id}")
    assert answer.status_code == 200, answer.text
    return int(answer.json()["balance"]["cents"])


async def test_an_adjustment_above_the_threshold_waits_for_a_responsabile_and_is_audited(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    operator = await staff_member(office, identity_provider, engine, Role.OPERATOR, "Giovanna Neri")
    manager = await staff_member(office, identity_provider, engine, Role.MANAGER, "Paolo Gialli")
    created = await office.post("/office/families", json=family(), headers=operator.bearer)
    account = created.json()["account_id"]
    small = {"amount_cents": 1000, "reason": "Errore di registrazione"}
    booked = await office.post(f"/office/accounts/{account}/adjustments", json=small, headers=operator.bearer)
    assert booked.status_code == 201 and booked.json()["state"] == "booked"
    large = {"amount_cents": 12000, "reason": "Rimborso concordato con la famiglia"}
    waiting = await office.post(f"/office/accounts/{account}/adjustments", json=large, headers=operator.bearer)
    assert waiting.status_code == 202 and waiting.json()["state"] == "pending"
    request_id = waiting.json()["request_id"]
    assert await balance(office, account) == 1000  # not booked yet
    approve = f"/office/adjustments/{request_id}/approve"
    assert (await office.post(approve, headers=operator.bearer)).status_code == 403
    assert (await office.post(approve, headers=manager.bearer)).status_code == 201
    assert (await office.post(approve, headers=manager.bearer)).status_code == 409  # decided once
    assert await balance(office, account) == 13000

    log = (await office.get("/office/audit", params={"account_id": account}, headers=operator.bearer)).json()
    seen = [(e["action"], e["actor"]) for e in log["items"]]
    assert seen == [
        ("adjustment_approved", "Paolo Gialli"),
        ("adjustment_requested", "Giovanna Neri"),
        ("adjustment_booked", "Giovanna Neri"),
        ("family_registered", "Giovanna Neri"),
    ]
    assert log["total"] == 4 and log["items"][2]["reason"] == "Errore di registrazione"
    assert log["items"][3]["after"]["alunni"][0]["alunno"] == "Luca Bianchi"  # what the family was registered with


async def test_the_log_filters_and_exports_csv(
    office: httpx.AsyncClient, identity_provider: ProviderProcess, engine: AsyncEngine
) -> None:
    operator = await staff_member(office, identity_provider, engine, Role.OPERATOR, "Marta Rossi")
    account = (await office.post("/office/families", json=family(), headers=operator.bearer)).json()["account_id"]
    edit = {
        "holder_first_name": "Mariella",
        "holder_last_name": "Bianchi",
        "email": "nuova@example.it",
        "phone": "+39 333 7654321",
    }
    assert (await office.patch(f"/office/accounts/{account}", json=edit, headers=operator.bearer)).status_code == 204
    mine = {"actor_id": str(operator.user_id), "action": "family_edited"}
    found = (await office.get("/office/audit", params=mine, headers=operator.bearer)).json()
    assert found["total"] == 1 and found["items"][0]["account_id"] == account
    assert found["items"][0]["before"] != found["items"][0]["after"]
    exported = await office.get("/office/audit.csv", params={"account_id": account}, headers=operator.bearer)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text), delimiter=";"))
    assert rows[0][:4] == ["quando", "chi", "ruolo", "azione"]
    assert [(r[1], r[3]) for r in rows[1:]] == [("Marta Rossi", "family_edited"), ("Marta Rossi", "family_registered")]
    empty = await office.get("/office/audit", params={"account_id": str(uuid.uuid4())}, headers=operator.bearer)
    assert empty.json() == {"total": 0, "items": []}


@pytest.mark.parametrize("statement", ["UPDATE audit_entry SET reason = 'x'", "DELETE FROM audit_entry"])
async def test_the_log_is_append_only_in_the_database(engine: AsyncEngine, statement: str) -> None:
    async with engine.connect() as connection:
        await connection.execute(
            text("INSERT INTO audit_entry (actor_name, actor_role, action, subject) VALUES ('x', 'admin', 'x', 'x')")
        )
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(text(statement))
        await connection.rollback()
