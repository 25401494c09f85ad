"""Inputs a fuzzer found answering 500 (issue 13), now refused with a 4xx, a code and a message."""

import uuid

import httpx

from testkit.answers import refused

NOT_TEXT = "testo_non_valido"
INVALID = "richiesta_non_valida"


async def test_a_notice_number_that_is_not_18_digits_is_refused(office: httpx.AsyncClient) -> None:
    account = uuid.uuid4()
    for number in ("abc", "30200000000000018", "3020000000000001845", "30200000000000018%3F"):
        refused(await office.get(f"/accounts/{account}/notices/{number}.pdf"), 422, INVALID)


async def test_a_search_with_a_nul_byte_is_refused(office: httpx.AsyncClient) -> None:
    refused(await office.get("/office/families", params={"q": "Ros\x00si"}), 422, NOT_TEXT)


async def test_a_login_with_a_lone_surrogate_or_a_nul_is_refused(office: httpx.AsyncClient) -> None:
    for email in (r"mario\ud800@example.it", r"mario\u0000@example.it", r"\udc00"):
        body = f'{{"email": "{email}", "password": "segreta-1234"}}'.encode()
        answer = await office.post("/auth/login", content=body, headers={"Content-Type": "application/json"})
        refused(answer, 422, NOT_TEXT)


async def test_a_tariff_out_of_range_is_refused(office: httpx.AsyncClient) -> None:
    price = {"effective_from": "2026-09-01", "meal_price_cents": 450}
    good = {"school_year": "2026/2027", "band_id": "fuzz", "name": "Fascia", "prices": [price]}
    for bad in (
        {"prices": [price | {"meal_price_cents": 2**63}]},
        {"prices": [price | {"meal_price_cents": 10_001}]},  # over € 100,00 a meal
        {"prices": [price | {"effective_from": "0001-01-01"}]},
        {"school_year": "0000/0001"},
        {"school_year": "0000/0000"},
        {"school_year": "2026/2028"},
    ):
        refused(await office.put("/office/tariffs", json=good | bad), 422, INVALID)


async def test_amounts_and_years_out_of_range_are_refused(office: httpx.AsyncClient) -> None:
    account = uuid.uuid4()
    adjustment = {"amount_cents": 30230113549358743945216, "reason": "rettifica"}
    refused(await office.post(f"/office/accounts/{account}/adjustments", json=adjustment), 422, INVALID)
    refused(await office.post(f"/accounts/{account}/top-ups", json={"amount_cents": 500_001}), 422, INVALID)
    refused(await office.get(f"/accounts/{account}/statements/184479942386.pdf"), 422, INVALID)
    refused(await office.post("/office/school-years/0-1/closing"), 422, INVALID)
    refused(await office.get(f"/accounts/{account}/movements", params={"since": "0001-01-01"}), 422, INVALID)
    refused(await office.get(f"/accounts/{account}/movements", params={"offset": 2**63}), 422, INVALID)


async def test_two_prices_from_the_same_day_are_refused(office: httpx.AsyncClient) -> None:
    price = {"effective_from": "2026-09-01", "meal_price_cents": 450}
    tariff = {"school_year": "2026/2027", "band_id": "doppia", "name": "Fascia", "prices": [price, price]}
    refused(await office.put("/office/tariffs", json=tariff), 422, INVALID)
