"""Corrections after the close, both ways, each emitted once, recorded with who and why."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx

from .conftest import DAY

Helper = Callable[..., Awaitable[Any]]  # fixtures of conftest.py


async def test_corrections_after_the_close_charge_and_cancel_once(
    attendance: httpx.AsyncClient, make_school: Helper, meal_events: Helper
) -> None:
    school = await make_school({"1A": 3})
    forgotten, mistaken, ill = school.classes["1A"]
    put = await attendance.put(
        f"{school.day()}/classes/1A/absences", json={"absent_student_ids": [forgotten]}, headers=school.terminal
    )
    assert put.status_code == 204
    assert (await attendance.post(f"{school.day()}/close", headers=school.terminal)).json()["meals"] == 2

    office = f"{school.office_day()}/corrections"

    async def correct(student: str, kind: str, url: str = office, headers: dict[str, str] | None = None) -> Any:
        body = {"student_id": student, "kind": kind, "reason": "Registro cartaceo"}
        return await attendance.post(url, json=body, headers=headers or {})

    assert (await correct(forgotten, "present")).json() == {"effect": "meal-consumed"}
    assert (await correct(forgotten, "present")).json() == {"effect": "none"}
    assert (await correct(mistaken, "absent")).json() == {"effect": "meal-cancelled"}
    assert (await correct(mistaken, "absent")).json() == {"effect": "none"}
    terminal_fix = await correct(ill, "sent_home_ill", f"{school.day()}/corrections", school.terminal)
    assert terminal_fix.json() == {"effect": "meal-cancelled"}
    recharge = await correct(mistaken, "present")
    assert recharge.status_code == 409 and recharge.json()["code"] == "pasto_annullato"

    consumed = await meal_events("meal-consumed", [forgotten], expect=1)
    assert [m["student_id"] for m in consumed] == [forgotten]
    cancelled = await meal_events("meal-cancelled", [forgotten, mistaken, ill], expect=2)
    assert sorted(c["reason"] for c in cancelled) == ["absent: Registro cartaceo", "sent_home_ill: Registro cartaceo"]

    history = (
        await attendance.get(f"/internal/students/{forgotten}/attendance", params={"month": f"{DAY:%Y-%m}"})
    ).json()
    [day] = history["days"]
    assert day["status"] == "presente" and [c["effect"] for c in day["corrections"]] == ["meal-consumed", "none"]
    assert day["corrections"][0]["corrected_by"] == "office" and day["corrections"][0]["reason"] == "Registro cartaceo"
    history = (await attendance.get(f"/internal/students/{ill}/attendance", params={"month": f"{DAY:%Y-%m}"})).json()
    assert history["days"][0]["status"] == "pasto_annullato"
    assert history["days"][0]["corrections"][0]["corrected_by"].startswith("terminal:")


async def test_corrections_are_refused_before_the_close_out_of_window_and_out_of_school(
    attendance: httpx.AsyncClient, make_school: Helper, database: asyncpg.Connection
) -> None:
    school = await make_school({"1A": 1})
    other = await make_school({"1A": 1})
    [student] = school.classes["1A"]
    body = {"student_id": student, "kind": "absent", "reason": "Errore di registrazione"}
    early = await attendance.post(f"{school.office_day()}/corrections", json=body)
    assert early.status_code == 409 and early.json()["code"] == "giornata_non_chiusa"

    assert (await attendance.post(f"{school.day()}/close", headers=school.terminal)).status_code == 200
    await database.execute("UPDATE day_close SET closed_at = now() - interval '3 days' WHERE school_id = $1", school.id)
    late = await attendance.post(f"{school.day()}/corrections", json=body, headers=school.terminal)
    assert late.status_code == 403 and late.json()["code"] == "correzione_scaduta"
    foreign = await attendance.post(f"{school.day()}/corrections", json=body, headers=other.terminal)
    assert foreign.status_code == 403
    stranger = {**body, "student_id": str(uuid.uuid4())}
    unknown = await attendance.post(f"{school.office_day()}/corrections", json=stranger)
    assert unknown.status_code == 404 and unknown.json()["code"] == "alunno_sconosciuto"
    assert (await attendance.post(f"{school.office_day()}/corrections", json=body)).json() == {
        "effect": "meal-cancelled"
    }
