"""How people read money and dates on screen: Italian, from the kernel's money helper and Babel."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime

from shared.local_time import ROME
from shared.money import format_euro

LOCALE = "it_IT"


def euro(cents: int) -> str:
    """`123450` -> `€ 1.234,50`."""
    return format_euro(cents)


def data_lunga(day: date | datetime) -> str:
    """`martedì 1 dicembre 2026`."""
    return format_date(_day(day), "EEEE d MMMM y", locale=LOCALE)


def data_breve(day: date | datetime) -> str:
    """`01/12/2026`."""
    return format_date(_day(day), "dd/MM/y", locale=LOCALE)


def giorno_mese(day: date | datetime) -> str:
    """`1 dic`: the label of a day or month on a chart's axis."""
    return format_date(_day(day), "d MMM", locale=LOCALE)


def mese(day: date | datetime) -> str:
    """`dicembre 2026`."""
    return format_date(_day(day), "MMMM y", locale=LOCALE)


def mese_breve(day: date | datetime) -> str:
    """`dic`: a month on a chart's axis."""
    return format_date(_day(day), "MMM", locale=LOCALE)


def data_ora(moment: datetime) -> str:
    """`1 dic 2026, 12:03`, in the municipality's time zone."""
    return format_datetime(moment, "d MMM y, HH:mm", tzinfo=ROME, locale=LOCALE)


def _day(value: date | datetime) -> date:
    """A moment counts on the day it falls in Italy (23:30 UTC is already tomorrow in summer)."""
    if isinstance(value, datetime):
        return value.astimezone(ROME).date() if value.tzinfo else value.date()
    return value


FILTERS = {
    "euro": euro,
    "data_lunga": data_lunga,
    "data_breve": data_breve,
    "giorno_mese": giorno_mese,
    "mese": mese,
    "mese_breve": mese_breve,
    "data_ora": data_ora,
}
