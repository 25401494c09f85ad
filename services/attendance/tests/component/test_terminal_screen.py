"""The terminal's screen over HTTP, as a tablet's browser and its script use it: pairing with the
office's code, taps saved once whatever the replays, the last tap per child winning, the close
with its confirmation, today only, and a revoked tablet back at the pairing page."""

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from .conftest import DAY, School

Helper = Callable[..., Awaitable[Any]]  # fixtures of conftest.py
JSON = {"Accept": "application/json"}


class Tablet:
    """A tablet's browser: its own cookies, the CSRF token of the last screen it loaded."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client, self.token = client, ""

    async def pairs(self, code: str) -> httpx.Response:
        form = await self.client.get("/terminale/abbina")
        nonce = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text)
        assert nonce, form.text
        return await self.client.post("/terminale/abbina", data={"csrf_token": nonce[1], "code": code})

    async def opens(self, path: str) -> httpx.Response:
        page = await self.client.get(path)
        found = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', page.text)
        self.token = found[1] if found else ""
        return page

    async def sends(self, path: str, headers: dict[str, str] | None = None, **form: Any) -> httpx.Response:
        """What the script replays: the form, its key, the CSRF header, asking for JSON."""
        data = {"day": DAY.isoformat(), "key": str(uuid.uuid4())} | {k: str(v) for k, v in form.items()}
        return await self.client.post(path, data=data, headers={"X-CSRF-Token": self.token, **JSON, **(headers or {})})


@pytest.fixture
async def tablets(attendance: httpx.AsyncClient) -> AsyncIterator[Callable[[], Tablet]]:
    """Browsers of their own on the same in-process app (no service credential, no shared cookies)."""
    opened: list[httpx.AsyncClient] = []

    def tablet() -> Tablet:
        opened.append(httpx.AsyncClient(transport=attendance._transport, base_url="http://test"))
        return Tablet(opened[-1])

    yield tablet
    for client in opened:
        await client.aclose()


async def paired(attendance: httpx.AsyncClient, school: School, tablet: Tablet) -> dict[str, Any]:
    registered = await attendance.post("/office/terminals", json={"school_id": school.id, "label": "Refettorio"})
    assert registered.status_code == 201, registered.text
    terminal: dict[str, Any] = registered.json()
    assert (await tablet.pairs(terminal["pairing_code"].lower())).status_code == 303
    return terminal


def tap_of(school: School, student: str) -> str:
    return f"/terminale/classi/{next(c for c, s in school.classes.items() if student in s)}/alunni/{student}"


async def test_a_tablet_pairs_with_the_offices_code_and_nothing_else(
    attendance: httpx.AsyncClient, make_school: Helper, tablets: Callable[[], Tablet]
) -> None:
    school = await make_school({"1A": 2})
    tablet, stranger = tablets(), tablets()
    assert (await tablet.client.get("/terminale")).headers["location"] == "/terminale/abbina"
    registered = (await attendance.post("/office/terminals", json={"school_id": school.id})).json()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", registered["pairing_code"])
    assert registered["pairing_url"].endswith("/terminale")
    before = await attendance.get(f"{school.day()}/kitchen", headers={"Authorization": f"Bearer {registered['token']}"})
    assert before.status_code == 200  # the credential shown once works for automation...

    wrong = await tablet.pairs("AAAA-0000")
    assert wrong.status_code == 400 and "non valido o scaduto" in wrong.text
    forged = await stranger.client.post("/terminale/abbina", data={"code": registered["pairing_code"]})
    assert forged.status_code == 403  # no pairing form of ours, no pairing
    paired_now = await tablet.pairs(registered["pairing_code"].replace("-", " ").lower())
    assert paired_now.status_code == 303 and paired_now.headers["location"] == "/terminale"
    cookie = paired_now.headers["set-cookie"]
    assert "refettorio_terminale=" in cookie and "HttpOnly" in cookie and "Path=/terminale" in cookie
    assert "samesite=strict" in cookie.lower()

    again = await stranger.pairs(registered["pairing_code"])
    assert again.status_code == 400  # a code pairs once
    after = await attendance.get(f"{school.day()}/kitchen", headers={"Authorization": f"Bearer {registered['token']}"})
    assert after.status_code == 401  # ...until the tablet holds the terminal's only credential
    today = await tablet.opens("/terminale")
    assert today.status_code == 200 and "Classe 1A" in today.text and "Da rilevare" in today.text
    assert today.headers["cache-control"] == "no-store"
    listed = (await attendance.get("/office/terminals")).json()
    [mine] = [t for t in listed["terminals"] if t["terminal_id"] == registered["terminal_id"]]
    assert mine["paired_at"] and mine["pairing_expires_at"] is None and school.id in listed["schools"]


async def test_taps_are_saved_once_and_the_last_tap_per_child_wins(
    attendance: httpx.AsyncClient, make_school: Helper, tablets: Callable[[], Tablet]
) -> None:
    school = await make_school({"1A": 3, "1B": 2}, diets={"1B": "senza_glutine"})
    first, second = tablets(), tablets()
    await paired(attendance, school, first)
    await paired(attendance, school, second)
    giulia, marco, sara = school.classes["1A"]
    page = await first.opens("/terminale/classi/1A")
    assert all(name in page.text for name in ("Giulia R.", "Marco B.", "Sara V."))
    assert "Rossi" not in page.text  # first name and initial only
    assert "Dieta: Senza glutine" in (await first.opens("/terminale/classi/1B")).text

    noon = datetime.now(UTC) - timedelta(minutes=5)  # taps of a few minutes ago, replayed now
    key = str(uuid.uuid4())
    tap = {"absent": "true", "tapped_at": noon.isoformat(), "key": key}
    assert (await first.sends(tap_of(school, giulia), **tap)).json() == {"outcome": "applied"}
    assert (await first.sends(tap_of(school, giulia), **tap)).json() == {"outcome": "already_received"}
    # The second tablet marks her present a minute later; the first tablet's older tap, queued
    # offline meanwhile, arrives after it and changes nothing.
    later = {"absent": "false", "tapped_at": (noon + timedelta(minutes=1)).isoformat()}
    await second.opens("/terminale/classi/1A")
    assert (await second.sends(tap_of(school, giulia), **later)).json() == {"outcome": "applied"}
    stale = {"absent": "true", "tapped_at": (noon + timedelta(seconds=30)).isoformat()}
    assert (await first.sends(tap_of(school, giulia), **stale)).json() == {"outcome": "superseded"}
    for absent in (marco, sara):
        assert (await first.sends(tap_of(school, absent), absent="true")).json() == {"outcome": "applied"}

    shown = (await second.opens("/terminale")).text
    assert "Rilevata (2 assenti)" in shown and "Da rilevare" in shown  # 1A by its taps; 1B not yet
    yesterday = await first.sends(tap_of(school, giulia), absent="true", day=(DAY - timedelta(days=1)).isoformat())
    assert yesterday.status_code == 403 and yesterday.json()["code"] == "solo_oggi"
    foreign = await first.sends(f"/terminale/classi/1A/alunni/{school.classes['1B'][0]}", absent="true")
    assert foreign.status_code == 422 and foreign.json()["code"] == "alunni_sconosciuti"
    no_token = await first.sends(tap_of(school, giulia), headers={"X-CSRF-Token": ""}, absent="true")
    assert no_token.status_code == 403

    kitchen = (await attendance.get(f"{school.office_day()}/kitchen")).json()
    assert kitchen["total"] == 3  # 5 enrolled, Marco and Sara absent


async def test_the_close_asks_about_classes_not_recorded_and_happens_once(
    attendance: httpx.AsyncClient, make_school: Helper, tablets: Callable[[], Tablet], meal_events: Helper
) -> None:
    school = await make_school({"1A": 2, "1B": 2})
    tablet = tablets()
    await paired(attendance, school, tablet)
    absent = school.classes["1A"][0]
    await tablet.opens("/terminale/chiusura")
    assert (await tablet.sends(tap_of(school, absent), absent="true")).status_code == 200
    summary = (await tablet.opens("/terminale/chiusura")).text
    assert re.search(r"Classi non ancora rilevate</dt><dd>1 \(1B\)", summary)
    assert re.search(r"Pasti che saranno addebitati</dt><dd data-pasti>3</dd>", summary)

    unconfirmed = await tablet.sends("/terminale/chiusura")
    assert unconfirmed.status_code == 409 and unconfirmed.json()["code"] == "classi_non_rilevate"
    assert "1B" in unconfirmed.json()["message"]
    assert (await tablet.sends("/terminale/classi/1B/rilevata")).status_code == 200
    key = str(uuid.uuid4())
    assert (await tablet.sends("/terminale/chiusura", key=key)).json() == {"meals": 3, "already_closed": False}
    assert (await tablet.sends("/terminale/chiusura", key=key)).json() == {"meals": 3, "already_closed": True}
    consumed = await meal_events("meal-consumed", school.classes["1A"] + school.classes["1B"], expect=3)
    assert absent not in {m["student_id"] for m in consumed}

    late = await tablet.sends(tap_of(school, absent), absent="false")
    assert late.status_code == 409 and late.json()["code"] == "giornata_chiusa"
    page = await tablet.opens("/terminale")
    assert "Giornata chiusa alle" in page.text and "Chiusa (1 assente)" in page.text
    without_script = await tablet.client.post(  # a form posted without JavaScript goes back to its screen
        "/terminale/chiusura", data={"csrf_token": tablet.token, "key": key, "day": DAY.isoformat()}
    )
    assert without_script.status_code == 303 and without_script.headers["location"] == "/terminale/chiusura"


async def test_corrections_within_the_window_and_a_revoked_tablet_is_logged_out(
    attendance: httpx.AsyncClient, make_school: Helper, tablets: Callable[[], Tablet], meal_events: Helper
) -> None:
    school = await make_school({"1A": 2})
    tablet = tablets()
    terminal = await paired(attendance, school, tablet)
    ill, _ = school.classes["1A"]
    await tablet.opens("/terminale/correzioni")
    assert (await tablet.sends("/terminale/classi/1A/rilevata")).status_code == 200
    assert (await tablet.sends("/terminale/chiusura")).json()["meals"] == 2
    screen = (await tablet.opens("/terminale/correzioni")).text
    assert "Giulia R." in screen and "Mandato a casa malato" in screen and "fino a" in screen
    fix = {"student_id": ill, "kind": "sent_home_ill", "reason": "Febbre alle 12:30", "key": str(uuid.uuid4())}
    assert (await tablet.sends("/terminale/correzioni", **fix)).json() == {"outcome": "meal-cancelled"}
    assert (await tablet.sends("/terminale/correzioni", **fix)).json() == {"outcome": "none"}
    [cancelled] = await meal_events("meal-cancelled", [ill], expect=1)
    assert cancelled["reason"] == "sent_home_ill: Febbre alle 12:30"
    history = (await attendance.get(f"/internal/students/{ill}/attendance", params={"month": f"{DAY:%Y-%m}"})).json()
    assert len(history["days"][0]["corrections"]) == 1  # the replay was not recorded again

    assert (await attendance.post(f"/office/terminals/{terminal['terminal_id']}/revoke")).status_code == 204
    gone = await tablet.client.get("/terminale")
    assert gone.status_code == 303 and gone.headers["location"] == "/terminale/abbina"
    refused = await tablet.sends(tap_of(school, ill), absent="true")
    assert refused.status_code == 401 and refused.json()["code"] == "terminale_non_abbinato"
    for _ in range(2):  # whichever request found it out first (a refresh, a replay), the screen says so
        back = await tablet.client.get("/terminale/abbina")
        assert back.status_code == 200 and "non è più abilitato" in back.text
