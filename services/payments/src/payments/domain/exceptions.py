from __future__ import annotations

from shared.errors import PermanentError, TransientError


class PaymentsError(PermanentError):
    """Base of the payments service's errors."""


class NoticeNotFound(PaymentsError):
    code = "avviso_sconosciuto"

    def __init__(self) -> None:
        super().__init__("Avviso di pagamento non trovato.")


class NoticeNotPayable(PaymentsError):
    code = "avviso_non_pagabile"

    def __init__(self) -> None:
        super().__init__("L'avviso non è più pagabile: è già pagato, annullato o scaduto.")


class NoticeNotCancellable(PaymentsError):
    code = "avviso_non_annullabile"

    def __init__(self) -> None:
        super().__init__("Solo un avviso aperto può essere annullato.")


class NoticeNotChangeable(PaymentsError):
    code = "avviso_non_modificabile"

    def __init__(self) -> None:
        super().__init__("Solo un avviso aperto può essere modificato.")


class NoticeBeingPaid(PaymentsError):
    code = "avviso_in_pagamento"

    def __init__(self) -> None:
        super().__init__(
            "Un prestatore di servizi di pagamento ha già avviato il pagamento di questo avviso: non può essere "
            "modificato né annullato. Si attende la ricevuta o la scadenza."
        )


class CheckoutUnavailable(TransientError):
    """pagoPA Checkout did not answer, or not with a page to send the parent to."""

    code = "checkout_non_disponibile"

    def __init__(self) -> None:
        super().__init__("Il servizio di pagamento online pagoPA non è raggiungibile. Riprova più tardi.")


class AnomalyNotFound(PaymentsError):
    code = "anomalia_sconosciuta"

    def __init__(self) -> None:
        super().__init__("Anomalia di pagamento non trovata.")


class AnomalyAlreadyResolved(PaymentsError):
    code = "anomalia_gia_risolta"

    def __init__(self, receipt_id: str) -> None:
        super().__init__(f"L'anomalia della ricevuta {receipt_id} è già stata risolta: non si risolve due volte.")


class ResolutionNotAllowed(PaymentsError):
    code = "accesso_negato"

    def __init__(self) -> None:
        super().__init__("Solo un responsabile può risolvere un'anomalia di pagamento.")


class AnomalyWithoutAccount(PaymentsError):
    code = "anomalia_senza_conto"

    def __init__(self) -> None:
        super().__init__("La ricevuta non è legata a nessun conto: si può solo rimborsare o archiviare.")
