"""Every ledger cause on the real service: tariffs and siblings, vouchers, adjustments,
reversals, year closing; idempotency keys; and the balance == sum(movements) invariant."""

import uuid

import httpx
from sqlalchemy import select

from accounts.adapters.argon2_passwords import Argon2Passwords
from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.adapters.tables import cancelled_meal
from accounts.config import AccountsSettings
from accounts.domain.users import Principal, Role
from accounts.handlers import users
from accounts.handlers.check_ledger import check_ledger
from shared.db import make_engine
from shared.events import Envelope, MealCancelled
from testkit.data import tax_code
from testkit.kafka import eventually, publish

from .test_ledger import balance_becomes, balance_of, meal, send, top_up


async def responsabile(office: httpx.AsyncClient, settings: AccountsSettings) -> dict[str, str]:
    """The headers of a responsabile logged in with a password (registered as an administrator would)."""
    email, password = f"resp-{uuid.uuid4().hex[:8]}@comune.example.it", "una-password-lunga"
    engine = make_engine(settings.database_url)
    try:
        uow = SqlAccountsUnitOfWork(engine, "accounts", settings.topic_prefix)
        new = users.NewStaff(None, email, "Paolo Gialli", Role.MANAGER, password)
        await users.create_staff(uow, Argon2Passwords(), Principal(None, Role.ADMIN, name="Installazione"), new)
    finally:
        await engine.dispose()
    login = await office.post("/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}


async def closing_over(office: httpx.AsyncClient, year: str, headers: dict[str, str]) -> dict:
    """The closing job's state once the service's background task has closed every account."""

    async def over() -> dict | None:
        state = await office.get(f"/office/school-years/{year}/closing", headers=headers)
        assert state.status_code == 200, state.text
        return state.json() if state.json()["state"] == "done" else None

    done: dict = await eventually(over, timeout=60)
    return done


def child(name: str, year: str, band: str | None) -> dict[str, object]:
    return {
        "tax_code": tax_code(year=2017),
        "first_name": name,
        "last_name": "Galli",
        "school_year": year,
        "school_id": "primaria-test",
        "class_id": "1A",
        "tariff_band": band,
    }


async def family_with(
    office: httpx.AsyncClient, *children: dict[str, object], iban: str | None = None, surname: str = "Galli"
) -> dict:
    body = {
        "holder_tax_code": tax_code(),
        "holder_first_name": "Elena",
        "holder_last_name": surname,
        "iban": iban,
        "students": list(children),
    }
    response = await office.post("/office/families", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_price_is_the_tariff_valid_on_the_day_with_the_sibling_discount(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str
) -> None:
    band = f"isee-{uuid.uuid4().hex[:6]}"
    tariff = {
        "school_year": "2026/2027",
        "band_id": band,
        "name": "ISEE fascia 2",
        "prices": [
            {"effective_from": "2026-09-01", "meal_price_cents": 400},
            {"effective_from": "2026-11-16", "meal_price_cents": 420},
        ],
    }
    assert (await office.put("/office/tariffs", json=tariff)).status_code == 204
    created = await family_with(office, child("Primo", "2026/2027", band), child("Secondo", "2026/2027", band))
    account, (first, second) = created["account_id"], created["student_ids"]
    topic = f"{topic_prefix}meal-consumed"
    await send(kafka, topic, meal(account, first, 10))  # 10 Nov: 400
    await send(kafka, topic, meal(account, first, 20))  # 20 Nov: 420
    await send(kafka, topic, meal(account, second, 20))  # second child, 20% off: 336
    await balance_becomes(office, account, -(400 + 420 + 336))
    # A later price change never re-prices meals already charged.
    tariff["prices"] = [{"effective_from": "2026-11-01", "meal_price_cents": 999}]
    assert (await office.put("/office/tariffs", json=tariff)).status_code == 204
    assert await balance_of(office, account) == -1156

    unknown_band = child("Terzo", "2026/2027", "no-such-band")
    response = await office.post(
        "/office/families",
        json={
            "holder_tax_code": tax_code(),
            "holder_first_name": "A",
            "holder_last_name": "B",
            "students": [unknown_band],
        },
    )
    assert response.status_code == 422 and response.json()["code"] == "tariffa_non_trovata"


async def test_paper_vouchers_and_adjustments_are_idempotent_by_key(office: httpx.AsyncClient) -> None:
    created = await family_with(office, child("Uno", "2026/2027", None))
    account, student = created["account_id"], created["student_ids"][0]
    vouchers = {"student_id": student, "count": 10, "unit_cents": 450, "received_on": "2026-11-20"}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = await office.post(f"/office/accounts/{account}/paper-vouchers", json=vouchers, headers=key)
    again = await office.post(f"/office/accounts/{account}/paper-vouchers", json=vouchers, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert first.json()["balance"] == {"cents": 4500, "display": "€ 45,00"}
    other = await office.post(f"/office/accounts/{account}/paper-vouchers", json=vouchers | {"count": 11}, headers=key)
    assert other.status_code == 409 and other.json()["code"] == "chiave_idempotenza_riutilizzata"

    adjustment = {"amount_cents": -250, "reason": "Pasto doppio registrato a mano"}
    assert (await office.post(f"/office/accounts/{account}/adjustments", json=adjustment)).status_code == 201
    assert (
        await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": 0, "reason": "x"})
    ).status_code == 422
    assert (
        await office.post(f"/office/accounts/{account}/adjustments", json={"amount_cents": 1.5, "reason": "abc"})
    ).status_code == 422
    stranger = {"student_id": str(uuid.uuid4())} | {k: v for k, v in vouchers.items() if k != "student_id"}
    assert (await office.post(f"/office/accounts/{account}/paper-vouchers", json=stranger)).status_code == 404
    assert await balance_of(office, account) == 4250
    causes = [m["cause"] for m in (await office.get(f"/accounts/{account}/movements")).json()["items"]]
    assert sorted(causes) == ["adjustment", "paper_vouchers"]


async def test_a_cancelled_meal_is_reversed_whether_it_arrives_before_or_after_the_charge(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str, accounts_settings: AccountsSettings
) -> None:
    created = await family_with(office, child("Uno", "2026/2027", None))
    account, student = created["account_id"], created["student_ids"][0]
    charged, early = meal(account, student, 11), meal(account, student, 12)
    await send(kafka, f"{topic_prefix}meal-consumed", charged)
    await balance_becomes(office, account, -450)
    for lunch in (charged, early):  # `early` is cancelled before its charge is consumed
        cancel = Envelope.wrap(
            MealCancelled(meal_id=lunch.data.meal_id, account_id=account, reason="uscito prima del pranzo"),
            producer="attendance",
        )
        await publish(kafka, f"{topic_prefix}meal-cancelled", cancel.to_json(), key=account)
    await balance_becomes(office, account, 0)
    engine = make_engine(accounts_settings.database_url)
    try:

        async def early_cancel_recorded() -> bool:
            async with engine.connect() as conn:
                return (
                    await conn.scalar(
                        select(cancelled_meal.c.meal_id).where(cancelled_meal.c.meal_id == early.data.meal_id)
                    )
                    is not None
                )

        await eventually(early_cancel_recorded)
    finally:
        await engine.dispose()
    await send(kafka, f"{topic_prefix}meal-consumed", early)
    await send(kafka, f"{topic_prefix}meal-consumed", meal(account, student, 13))  # a marker behind it
    await balance_becomes(office, account, -450)
    causes = sorted(m["cause"] for m in (await office.get(f"/accounts/{account}/movements")).json()["items"])
    assert causes == ["meal", "meal", "meal_reversal"]


async def test_closing_a_school_year_twice_gives_the_same_result(
    office: httpx.AsyncClient, accounts_settings: AccountsSettings, kafka: str, topic_prefix: str
) -> None:
    year, following = "2030/2031", "2031/2032"  # a year no other test touches
    leaving = await family_with(office, child("Esce", year, None), iban="IT60X0542811101000000123456")
    staying = await family_with(office, child("Resta", year, None), child("Nuovo", following, None))
    in_debt = await family_with(office, child("Debito", year, None))
    for created, cents in ((leaving, 2000), (staying, 1500), (in_debt, -700)):
        response = await office.post(
            f"/office/accounts/{created['account_id']}/adjustments",
            json={"amount_cents": cents, "reason": "saldo iniziale di prova"},
        )
        assert response.status_code == 201

    early = await office.post("/office/school-years/2030-2031/closing")
    assert early.status_code == 409 and early.json()["code"] == "anno_in_corso", early.text
    forced = {"forced_because": "Prova: l'anno si chiude in anticipo"}
    as_office = await office.post("/office/school-years/2030-2031/closing", json=forced)
    assert as_office.status_code == 403, as_office.text  # the office token is no responsabile
    admin = await responsabile(office, accounts_settings)
    first = await office.post("/office/school-years/2030-2031/closing", json=forced, headers=admin)
    assert first.status_code == 202 and first.headers["location"] == "/office/school-years/2030-2031/closing"
    assert not first.json()["already_closed"]
    closed = await closing_over(office, "2030-2031", admin)
    second = await office.post("/office/school-years/2030-2031/closing", json=forced, headers=admin)
    assert second.status_code == 200 and second.json()["already_closed"], second.text
    assert second.json()["booked"] == closed["booked"] and second.json()["finished_at"] == closed["finished_at"]
    assert closed["booked"]["refunded"]["families"] >= 1 and closed["booked"]["debt_carried"]["families"] >= 1
    causes = [m["cause"] for m in (await office.get(f"/accounts/{staying['account_id']}/movements")).json()["items"]]
    assert causes.count("carry_over") == 1

    assert await balance_of(office, leaving["account_id"]) == 0
    assert await balance_of(office, staying["account_id"]) == 1500
    assert await balance_of(office, in_debt["account_id"]) == -700
    refunds = [r for r in (await office.get("/office/refunds")).json() if r["account_id"] == leaving["account_id"]]
    assert len(refunds) == 1 and refunds[0]["amount"]["cents"] == 2000 and refunds[0]["iban"].startswith("IT60")

    # The closed year takes no more movements.
    late = await office.post(
        f"/office/accounts/{leaving['account_id']}/paper-vouchers",
        json={"student_id": leaving["student_ids"][0], "count": 1, "unit_cents": 450, "received_on": "2031-06-30"},
    )
    assert late.status_code == 409 and late.json()["code"] == "anno_chiuso"

    # A receipt arriving after the closing is booked (never refused), and the next year's closing
    # settles it: the family that left is refunded again.
    await send(kafka, f"{topic_prefix}payment-received", top_up(leaving["account_id"], 1000))
    await balance_becomes(office, leaving["account_id"], 1000)
    following_closing = await office.post("/office/school-years/2031-2032/closing", json=forced, headers=admin)
    assert following_closing.status_code == 202, following_closing.text
    await closing_over(office, "2031-2032", admin)
    assert await balance_of(office, leaving["account_id"]) == 0
    refunds = [r for r in (await office.get("/office/refunds")).json() if r["account_id"] == leaving["account_id"]]
    assert sorted(r["amount"]["cents"] for r in refunds) == [1000, 2000]

    engine = make_engine(accounts_settings.database_url)
    try:
        checked = await check_ledger(SqlAccountsUnitOfWork(engine, "accounts", accounts_settings.topic_prefix))
        assert checked.unbalanced == []
    finally:
        await engine.dispose()


async def test_debtors_and_search_are_for_the_office(office: httpx.AsyncClient) -> None:
    surname = f"Galli-{uuid.uuid4().hex[:8]}"
    created = await family_with(office, child("Uno", "2026/2027", None), surname=surname)
    await office.post(
        f"/office/accounts/{created['account_id']}/adjustments",
        json={"amount_cents": -900, "reason": "pasti non pagati"},
    )
    debtors = {d["account_id"]: d for d in (await office.get("/office/debtors")).json()}
    assert debtors[created["account_id"]]["balance"]["display"] == "-€ 9,00"
    assert debtors[created["account_id"]]["in_debt_since"] is not None
    found = (await office.get("/office/families", params={"q": surname.lower()})).json()
    assert created["account_id"] in {f["account_id"] for f in found}
