"""The municipality's one time zone: "today", a service day and a booking date are days in Rome,
whatever the machine's clock says (from 23:00 UTC it is already tomorrow there)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


def now() -> datetime:
    return datetime.now(ROME)


def today() -> date:
    return now().date()


def midnight(day: date) -> datetime:
    """The moment `day` starts in Rome (a day's bounds in a query on UTC timestamps)."""
    return datetime.combine(day, time.min, tzinfo=ROME)
