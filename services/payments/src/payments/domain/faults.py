"""The pagoPA outcome codes a creditor answers the node with (`PAA_*`), and which one a notice earns."""

from __future__ import annotations

import enum
from datetime import date

from payments.domain.notice import Notice, NoticeState


class Fault(enum.StrEnum):
    SYNTAX_XSD = "PAA_SINTASSI_XSD"
    SYNTAX_EXTRA_XSD = "PAA_SINTASSI_EXTRAXSD"
    WRONG_CREDITOR = "PAA_ID_DOMINIO_ERRATO"
    WRONG_BROKER = "PAA_ID_INTERMEDIARIO_ERRATO"
    WRONG_STATION = "PAA_STAZIONE_INT_ERRATA"
    UNKNOWN_NOTICE = "PAA_PAGAMENTO_SCONOSCIUTO"
    ALREADY_PAID = "PAA_PAGAMENTO_DUPLICATO"
    EXPIRED = "PAA_PAGAMENTO_SCADUTO"
    CANCELLED = "PAA_PAGAMENTO_ANNULLATO"
    DUPLICATE_RECEIPT = "PAA_RECEIPT_DUPLICATA"
    SEMANTIC = "PAA_SEMANTICA"
    SYSTEM_ERROR = "PAA_SYSTEM_ERROR"


FAULT_STRINGS = {
    Fault.SYNTAX_XSD: "Errore di sintassi XSD",
    Fault.SYNTAX_EXTRA_XSD: "Errore di sintassi extra XSD",
    Fault.WRONG_CREDITOR: "Identificativo dell'ente creditore errato",
    Fault.WRONG_BROKER: "Identificativo dell'intermediario errato",
    Fault.WRONG_STATION: "Identificativo della stazione errato",
    Fault.UNKNOWN_NOTICE: "Pagamento sconosciuto",
    Fault.ALREADY_PAID: "Pagamento già effettuato",
    Fault.EXPIRED: "Pagamento scaduto",
    Fault.CANCELLED: "Pagamento annullato",
    Fault.DUPLICATE_RECEIPT: "Ricevuta già acquisita",
    Fault.SEMANTIC: "Errore semantico",
    Fault.SYSTEM_ERROR: "Errore di sistema",
}

NOT_PAYABLE = {
    NoticeState.PAID: Fault.ALREADY_PAID,
    NoticeState.EXPIRED: Fault.EXPIRED,
    NoticeState.CANCELLING: Fault.CANCELLED,
    NoticeState.CANCELLED: Fault.CANCELLED,
}


class NodeFault(Exception):
    """The node's request cannot be honoured: answered `outcome=KO` with this code."""

    def __init__(self, fault: Fault, description: str | None = None) -> None:
        super().__init__(fault.value)
        self.fault = fault
        self.description = description or FAULT_STRINGS[fault]


def payable(notice: Notice | None, today: date) -> Notice:
    """The open notice, or the fault that tells the node why not (the all-zeros probe included)."""
    if notice is None:
        raise NodeFault(Fault.UNKNOWN_NOTICE)
    fault = NOT_PAYABLE.get(notice.state_on(today))
    if fault is not None:
        raise NodeFault(fault)
    return notice


def check_requested_amount(notice: Notice, amount_cents: int | None) -> None:
    """An amount the PSP saw that differs from the notice's is refused."""
    if amount_cents is not None and amount_cents != notice.amount_cents:
        raise NodeFault(Fault.SEMANTIC, "L'importo richiesto non corrisponde a quello dell'avviso")
