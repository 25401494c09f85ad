"""Inputs a fuzzer found answering 500 (issue 13), now refused with a 4xx, a code and a message."""

import uuid

import httpx

from testkit.answers import refused

INVALID = "richiesta_non_valida"


async def test_a_month_outside_plausible_school_years_is_refused(attendance: httpx.AsyncClient) -> None:
    student = uuid.uuid4()
    for month in ("0000-01", "1999-12", "2101-01", "2026-13"):
        answer = await attendance.get(f"/internal/students/{student}/attendance", params={"month": month})
        refused(answer, 422, INVALID)
        refused(await attendance.get("/office/schools/primaria/calendar", params={"month": month}), 422, INVALID)


async def test_a_school_id_of_any_alphabet_gets_its_kitchen_csv(attendance: httpx.AsyncClient) -> None:
    answer = await attendance.get("/office/schools/scuola-città-ñ/days/2026-11-25/kitchen", params={"format": "csv"})
    assert answer.status_code == 200, answer.text
    disposition = answer.headers["content-disposition"]
    assert disposition.isascii() and "filename*=UTF-8''pasti-scuola-citt%C3%A0-%C3%B1-2026-11-25.csv" in disposition


async def test_dates_outside_plausible_school_years_are_refused(attendance: httpx.AsyncClient) -> None:
    refused(await attendance.get("/office/schools/primaria/days/0443-04-28/kitchen", params={"format": "csv"}))
    closure = {"service_date": "0694-01-01", "kind": "closure", "reason": "Sciopero"}
    refused(await attendance.post("/office/schools/primaria/closures", json=closure), 422, INVALID)


async def test_a_reason_with_a_nul_is_refused(attendance: httpx.AsyncClient) -> None:
    closure = {"service_date": "2026-11-25", "kind": "closure", "reason": "Sciopero\x00"}
    refused(await attendance.post("/office/schools/primaria/closures", json=closure), 422, "testo_non_valido")


async def test_a_cutoff_is_a_time_of_day_without_an_offset(attendance: httpx.AsyncClient) -> None:
    school = f"scuola-{uuid.uuid4().hex[:8]}"
    offset = await attendance.put(f"/office/schools/{school}/calendar", json={"cutoff": "09:30:00+01:00"})
    refused(offset, 422, INVALID)
    assert (await attendance.put(f"/office/schools/{school}/calendar", json={"cutoff": "10:15"})).status_code == 204
    calendar = (await attendance.get(f"/office/schools/{school}/calendar", params={"month": "2026-11"})).json()
    assert calendar["cutoff"] == "10:15:00"
