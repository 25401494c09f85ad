"""Words on screen for the codes the ledger and the Scrivania use (glossary: Italian on screen)."""

from __future__ import annotations

from accounts.domain.desk import BalanceState
from accounts.domain.ledger import Cause

CAUSES = {
    Cause.MEAL: "Pasto consumato",
    Cause.MEAL_REVERSAL: "Pasto stornato",
    Cause.TOP_UP: "Ricarica pagoPA",
    Cause.PAPER_VOUCHERS: "Buoni pasto cartacei",
    Cause.CARRY_OVER: "Credito dall'anno precedente",
    Cause.REFUND: "Rimborso",
    Cause.ADJUSTMENT: "Rettifica dell'Ufficio Scuola",
}
STATES = {
    BalanceState.IN_CREDIT: ("In credito", "stato-saldo stato-in-credito"),
    BalanceState.LOW: ("Credito in esaurimento", "stato-saldo stato-basso"),
    BalanceState.IN_DEBT: ("Saldo negativo", "stato-saldo stato-negativo"),
}
CLOSURES = {"holiday": "Vacanza", "closure": "Chiusura", "strike": "Sciopero", "trip": "Gita"}


def cause_label(code: str) -> str:
    return CAUSES.get(Cause(code), code) if code in Cause._value2member_map_ else code


def state_label(state: BalanceState) -> str:
    return STATES[state][0]


def state_class(state: BalanceState) -> str:
    return STATES[state][1]


def closure_label(kind: str) -> str:
    return CLOSURES.get(kind, "Chiusura")


FILTERS = {"causale": cause_label, "stato_saldo": state_label, "classe_stato": state_class, "chiusura": closure_label}
