"""Words on the terminal's screen for the codes the domain uses (glossary: Italian on screen)."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from attendance.domain.corrections import Kind, MealState
from attendance.domain.today import ClassState
from shared.local_time import ROME

STANDARD_DIET = "standard"
CLOSURES = {"holiday": "Vacanza", "closure": "Chiusura", "strike": "Sciopero", "trip": "Gita"}
STATES = {ClassState.TO_RECORD: "Da rilevare", ClassState.RECORDED: "Rilevata", ClassState.NO_SERVICE: "Senza servizio"}
MEALS = {MealState.CHARGED: "Ha mangiato", MealState.MISSING: "Assente", MealState.CANCELLED: "Pasto annullato"}
KINDS = {
    Kind.SENT_HOME_ILL: "Mandato a casa malato: il pasto è annullato",
    Kind.ABSENT: "Segnato presente per errore, era assente: il pasto è annullato",
    Kind.PRESENT: "Segnato assente per errore, era presente: il pasto è addebitato",
}


def diet_label(diet: str) -> str:
    """`senza_glutine` -> `Senza glutine`: the diet's name only, for the kitchen."""
    return diet.replace("_", " ").strip().capitalize()


def closure_label(kind: str) -> str:
    return CLOSURES.get(kind, "Chiusura")


def time_of_day(moment: datetime, timezone: str = ROME.key) -> str:
    """`12:03`, in the school's time zone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")


def new_key() -> str:
    """A fresh idempotency key for a form rendered on the server (a resubmitted form is one change)."""
    return str(uuid.uuid4())


FILTERS = {
    "dieta": diet_label,
    "chiusura": closure_label,
    "stato_classe": STATES.__getitem__,
    "pasto": MEALS.__getitem__,
    "correzione": KINDS.__getitem__,
    "ora": time_of_day,
}
