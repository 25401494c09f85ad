"""Words on screen for the codes the ledger and the Scrivania use (glossary: Italian on screen)."""

from __future__ import annotations

from datetime import datetime

from accounts.domain.audit import Action
from accounts.domain.desk import BalanceState
from accounts.domain.ledger import Cause
from accounts.domain.notices import NoticeState
from accounts.domain.school_days import DayKind
from accounts.domain.users import Role

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
NOTICE_STATES = {
    NoticeState.OPEN: ("Da pagare", "stato-saldo stato-basso"),
    NoticeState.PAID: ("Pagato", "stato-saldo stato-in-credito"),
    NoticeState.EXPIRED: ("Scaduto", "stato-saldo stato-neutro"),
    NoticeState.CANCELLING: ("In annullamento", "stato-saldo stato-neutro"),
    NoticeState.CANCELLED: ("Annullato", "stato-saldo stato-neutro"),
}
DAYS = {
    DayKind.MEAL: "Pasto consumato",
    DayKind.MEAL_CANCELLED: "Pasto annullato",
    DayKind.ABSENT: "Assente",
    DayKind.ANNOUNCED: "Assenza comunicata",
    DayKind.CLOSED: "Mensa chiusa",
    DayKind.SERVICE: "Giorno di mensa",
}


ROLES = {
    Role.PARENT: "Genitore",
    Role.OPERATOR: "Operatore",
    Role.MANAGER: "Responsabile",
    Role.ADMIN: "Amministratore",
    Role.AUTOMATION: "Automazione",
}
ACTIONS = {
    Action.FAMILY_REGISTERED: "Famiglia registrata",
    Action.FAMILY_EDITED: "Dati della famiglia modificati",
    Action.CONTACTS_CHANGED: "Contatti modificati",
    Action.STUDENT_ADDED: "Alunno aggiunto",
    Action.ENROLMENT_CHANGED: "Iscrizione modificata",
    Action.GUARDIAN_ADDED: "Genitore o tutore aggiunto",
    Action.GUARDIAN_REMOVED: "Genitore o tutore rimosso",
    Action.PAPER_VOUCHERS: "Buoni cartacei accreditati",
    Action.ADJUSTMENT_BOOKED: "Rettifica registrata",
    Action.ADJUSTMENT_REQUESTED: "Rettifica in attesa di approvazione",
    Action.ADJUSTMENT_APPROVED: "Rettifica approvata",
    Action.ADJUSTMENT_REJECTED: "Rettifica respinta",
    Action.TARIFF_SET: "Tariffa impostata",
    Action.SIBLING_DISCOUNT_SET: "Sconto fratelli impostato",
    Action.STAFF_ADDED: "Utente del personale aggiunto",
    Action.STAFF_CHANGED: "Utente del personale modificato",
    Action.PASSWORD_RESET: "Password reimpostata",
    Action.BROADCAST: "Comunicazione inviata",
    Action.SCHOOL_YEAR_CLOSED: "Anno scolastico chiuso",
    Action.CLOSURE_DECLARED: "Chiusura del servizio dichiarata",
    Action.CLOSURE_REMOVED: "Chiusura del servizio tolta",
    Action.HOLIDAYS_DECLARED: "Festività comunali dichiarate",
    Action.HOLIDAY_REMOVED: "Festività comunale tolta",
    Action.CALENDAR_SET: "Giorni di servizio e orario limite modificati",
    Action.TERMINAL_CHANGED: "Terminale della scuola modificato",
}


def role_label(code: str) -> str:
    return ROLES.get(Role(code), code) if code in Role._value2member_map_ else code


def action_label(code: str) -> str:
    return ACTIONS.get(Action(code), code) if code in Action._value2member_map_ else code


def cause_label(code: str) -> str:
    return CAUSES.get(Cause(code), code) if code in Cause._value2member_map_ else code


def state_label(state: BalanceState) -> str:
    return STATES[state][0]


def state_class(state: BalanceState) -> str:
    return STATES[state][1]


def closure_label(kind: str) -> str:
    return CLOSURES.get(kind, "Chiusura")


def notice_label(state: NoticeState) -> str:
    return NOTICE_STATES[state][0]


def notice_class(state: NoticeState) -> str:
    return NOTICE_STATES[state][1]


def day_label(kind: DayKind) -> str:
    return DAYS[kind]


def hour(moment: datetime) -> str:
    """`9:30`, in the moment's own time zone (a school's cut-off is in the school's)."""
    return f"{moment.hour}:{moment.minute:02d}"


FILTERS = {
    "ora": hour,
    "causale": cause_label,
    "stato_saldo": state_label,
    "classe_stato": state_class,
    "chiusura": closure_label,
    "stato_avviso": notice_label,
    "classe_avviso": notice_class,
    "giorno_mensa": day_label,
    "ruolo": role_label,
    "azione": action_label,
}
