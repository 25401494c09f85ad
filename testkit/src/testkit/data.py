"""Makers of valid test data."""

from __future__ import annotations

import random
import string
from datetime import date, datetime
from zoneinfo import ZoneInfo

from stdnum.it import codicefiscale

_MONTHS = "ABCDEHLMPRST"


def rome_today() -> date:
    """Today where the service runs its days (the machine's clock may be UTC: from 23:00 it is
    already tomorrow in Rome, and a test asking for "today" must ask for Rome's)."""
    return datetime.now(ZoneInfo("Europe/Rome")).date()


def tax_code(rng: random.Random | None = None, female: bool = False, year: int | None = None) -> str:
    """A random, valid personal codice fiscale (random letters, a real date, a check character)."""
    rng = rng or random.Random()
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(6))
    yy = (year if year is not None else rng.randint(1970, 2020)) % 100
    day = rng.randint(1, 28) + (40 if female else 0)
    place = rng.choice(string.ascii_uppercase) + f"{rng.randint(1, 999):03d}"
    body = f"{letters}{yy:02d}{rng.choice(_MONTHS)}{day:02d}{place}"
    return body + codicefiscale.calc_check_digit(body)
