"""Users, sessions, lockout, password reset and the authorisation matrix, on the real service."""

import json
import uuid

import httpx
import pytest
from fastapi import FastAPI

from testkit.kafka import eventually, read_all

from .test_families import family

PASSWORD = "una-password-lunga"


async def new_family(office: httpx.AsyncClient) -> str:
    return str((await office.post("/office/families", json=family())).json()["account_id"])


async def new_parent(office: httpx.AsyncClient, account_id: str, holder: bool = True) -> tuple[str, dict[str, str]]:
    email = f"genitore-{uuid.uuid4().hex[:8]}@example.it"
    user = {"email": email, "role": "parent", "account_id": account_id, "password": PASSWORD, "is_holder": holder}
    created = await office.post("/office/users", json=user)
    assert created.status_code == 201, created.text
    login = await office.post("/auth/login", json={"email": email, "password": PASSWORD}, headers={"Authorization": ""})
    assert login.status_code == 200, login.text
    return email, {"Authorization": f"Bearer {login.json()['token']}"}


async def test_a_parent_sees_only_their_family(office: httpx.AsyncClient) -> None:
    mine, theirs = await new_family(office), await new_family(office)
    _, parent = await new_parent(office, mine)
    assert (await office.get("/me", headers=parent)).json()["account_id"] == mine
    assert (await office.get(f"/accounts/{mine}", headers=parent)).status_code == 200
    assert (await office.get(f"/accounts/{mine}/movements", headers=parent)).status_code == 200
    for path in (
        f"/accounts/{theirs}",
        f"/accounts/{theirs}/movements",
        f"/accounts/{theirs}/movements.csv",
        f"/accounts/{theirs}/statements/2026.pdf",
    ):
        response = await office.get(path, headers=parent)
        assert response.status_code == 404, path
        assert response.json()["code"] == "conto_non_trovato"


async def test_only_the_holder_and_the_office_see_a_debt(office: httpx.AsyncClient) -> None:
    account = await new_family(office)
    await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": -900, "reason": "pasti"})
    _, holder = await new_parent(office, account, holder=True)
    _, guardian = await new_parent(office, account, holder=False)
    assert (await office.get("/me", headers=holder)).json()["balance"]["cents"] == -900
    assert (await office.get(f"/accounts/{account}")).json()["balance"]["cents"] == -900
    assert (await office.get("/me", headers=guardian)).json()["balance"] is None
    [movement] = (await office.get(f"/accounts/{account}/movements", headers=guardian)).json()["items"]
    assert movement["balance_after"] is None
    csv = (await office.get(f"/accounts/{account}/movements.csv", headers=guardian)).text
    assert "-9,00;" in csv and not csv.strip().endswith("-9,00")  # the amount, never the balance
    # Credit is no secret: once topped up, the guardian sees the balance again.
    await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": 2000, "reason": "pasti"})
    assert (await office.get("/me", headers=guardian)).json()["balance"]["cents"] == 1100


OFFICE_ROUTES = [
    ("POST", "/office/families", {}),
    ("GET", "/office/families?q=rossi", None),
    ("GET", "/office/debtors", None),
    ("GET", "/office/refunds", None),
    ("PUT", "/office/tariffs", {}),
    ("POST", "/office/broadcasts", {}),
    ("POST", "/office/school-years/2020-2021/closing", None),
    ("PUT", "/office/accounts/{a}/contacts", {}),
    ("PUT", "/office/accounts/{a}/students/{a}/enrolment", {}),
    ("POST", "/office/accounts/{a}/paper-vouchers", {}),
    ("POST", "/office/accounts/{a}/adjustments", {}),
    ("POST", "/office/users", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), OFFICE_ROUTES)
async def test_office_routes_refuse_parents_and_strangers(
    office: httpx.AsyncClient, method: str, path: str, body: object
) -> None:
    account = await new_family(office)
    _, parent = await new_parent(office, account)
    url = path.format(a=account)
    assert (await office.request(method, url, json=body, headers=parent)).status_code == 403
    assert (await office.request(method, url, json=body, headers={"Authorization": ""})).status_code == 401
    assert (await office.request(method, url, json=body, headers={"Authorization": "Bearer nope"})).status_code == 401


async def test_logout_revokes_the_session(office: httpx.AsyncClient) -> None:
    _, parent = await new_parent(office, await new_family(office))
    assert (await office.post("/auth/logout", headers=parent)).status_code == 204
    assert (await office.get("/me", headers=parent)).status_code == 401


def from_address(office: httpx.AsyncClient) -> httpx.AsyncClient:
    """A client of the same app seen from a fresh address: failures here lock no other test out."""
    app: FastAPI = office._transport.app  # type: ignore[attr-defined]
    address = f"198.51.100.{uuid.uuid4().hex[:8]}"
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 4321)), base_url="http://test")


async def test_repeated_failures_lock_the_email(office: httpx.AsyncClient) -> None:
    email, _ = await new_parent(office, await new_family(office))
    async with from_address(office) as someone:
        for _ in range(5):
            wrong = await someone.post("/auth/login", json={"email": email, "password": "sbagliata"})
            assert wrong.status_code == 401 and wrong.json()["code"] == "credenziali_non_valide"
    async with from_address(office) as owner:  # even the right password, from elsewhere
        locked = await owner.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["code"] == "accesso_bloccato"


async def test_one_address_trying_many_emails_is_locked(office: httpx.AsyncClient) -> None:
    async with from_address(office) as attacker:
        for i in range(30):
            await attacker.post("/auth/login", json={"email": f"x{i}-{uuid.uuid4().hex}@example.it", "password": "p"})
        email, _ = await new_parent(office, await new_family(office))
        locked = await attacker.post("/auth/login", json={"email": email, "password": PASSWORD})
        assert locked.status_code == 429


async def test_password_reset_works_once_and_reveals_nothing(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str
) -> None:
    account = await new_family(office)
    email, _ = await new_parent(office, account)
    unknown = await office.post("/auth/password-reset", json={"email": f"nessuno-{uuid.uuid4().hex}@example.it"})
    known = await office.post("/auth/password-reset", json={"email": email})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()

    async def reset_requested() -> list[dict[str, object]]:
        records = await read_all(kafka, f"{topic_prefix}notification-requested", expect=1, timeout=5)
        requests = [json.loads(r.value)["data"] for r in records]
        return [r for r in requests if r["template"] == "password_reset" and r["account_ids"] == [account]]

    mine = await eventually(reset_requested)
    assert len(mine) == 1
    token = mine[0]["params"]["reset_url"].split("token=")[1]

    new_password = "nuova-password-sicura"
    body = {"token": token, "new_password": new_password}
    assert (await office.post("/auth/password-reset/confirm", json=body)).status_code == 204
    reused = await office.post("/auth/password-reset/confirm", json=body)
    assert reused.status_code == 400 and reused.json()["code"] == "link_non_valido"
    login = await office.post(
        "/auth/login", json={"email": email, "password": new_password}, headers={"Authorization": ""}
    )
    assert login.status_code == 200
