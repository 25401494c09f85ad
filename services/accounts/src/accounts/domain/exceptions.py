from __future__ import annotations

from datetime import date

from shared.errors import PermanentError


class AccountsError(PermanentError):
    """Base of the accounts service's domain errors."""


class AccountNotFound(AccountsError):
    code = "conto_non_trovato"

    def __init__(self, account_id: object = None) -> None:
        super().__init__("Conto non trovato.")
        self.account_id = account_id


class DuplicateHolder(AccountsError):
    code = "titolare_duplicato"

    def __init__(self) -> None:
        super().__init__("Esiste già un conto con questo codice fiscale del titolare.")


class DuplicateStudent(AccountsError):
    code = "alunno_duplicato"

    def __init__(self) -> None:
        super().__init__("Un alunno con questo codice fiscale è già iscritto.")


class InvalidTaxCode(AccountsError):
    code = "codice_fiscale_non_valido"

    def __init__(self, who: str) -> None:
        super().__init__(f"Il codice fiscale {who} non è valido.")


class StudentNotFound(AccountsError):
    code = "alunno_non_trovato"

    def __init__(self) -> None:
        super().__init__("Alunno non trovato per questo conto.")


class TariffNotFound(AccountsError):
    code = "tariffa_non_trovata"

    def __init__(self) -> None:
        super().__init__("Fascia tariffaria inesistente per l'anno scolastico indicato.")


class YearClosed(AccountsError):
    code = "anno_chiuso"

    def __init__(self, school_year: str) -> None:
        super().__init__(f"L'anno scolastico {school_year} è già stato chiuso: nessun nuovo movimento.")


class YearNotOver(AccountsError):
    code = "anno_in_corso"

    def __init__(self, school_year: str, opens: date) -> None:
        super().__init__(
            f"L'anno scolastico {school_year} si può chiudere dal {opens:%d/%m/%Y}: prima, solo un "
            "responsabile, indicando il motivo."
        )


class ForcedClosingNotAllowed(AccountsError):
    code = "accesso_negato"

    def __init__(self) -> None:
        super().__init__("Solo un responsabile può chiudere un anno scolastico prima della fine.")


class IdempotencyConflict(AccountsError):
    code = "chiave_idempotenza_riutilizzata"

    def __init__(self) -> None:
        super().__init__("La stessa Idempotency-Key è stata usata per una richiesta diversa.")


class InvalidCredentials(AccountsError):
    code = "credenziali_non_valide"

    def __init__(self) -> None:
        super().__init__("Email o password non corretti.")


class LoginLocked(AccountsError):
    code = "accesso_bloccato"

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Troppi tentativi non riusciti. Riprova tra {minutes} minuti.")


class DuplicateUser(AccountsError):
    code = "utente_duplicato"

    def __init__(self) -> None:
        super().__init__("Esiste già un utente con questo indirizzo email o codice fiscale.")


class IdentityWithoutTaxCode(AccountsError):
    code = "identita_senza_codice_fiscale"

    def __init__(self) -> None:
        super().__init__(
            "Il gestore dell'identità non ha comunicato un codice fiscale valido: riprova o usa un'altra identità."
        )


class NotEnrolled(AccountsError):
    code = "nessuna_iscrizione"

    def __init__(self) -> None:
        super().__init__("Non risulta alcuna iscrizione al servizio mensa a tuo nome: contatta l'Ufficio Scuola.")


class LoginFailed(AccountsError):
    code = "accesso_non_riuscito"

    def __init__(self) -> None:
        super().__init__("L'accesso non è riuscito o è scaduto. Riprova dall'inizio.")


class PasswordNotForParents(AccountsError):
    code = "password_non_prevista"

    def __init__(self) -> None:
        super().__init__("I genitori accedono con SPID o CIE: per loro non si imposta alcuna password.")


class HolderOnly(AccountsError):
    code = "riservato_al_titolare"
    SEEN = "Saldo, movimenti, pagamenti e dichiarazioni del conto sono visibili solo al titolare del conto."
    CHANGED = "Solo il titolare del conto può cambiare i contatti e le preferenze."

    def __init__(self, message: str = SEEN) -> None:
        super().__init__(message)


class InvalidTopUpAmount(AccountsError):
    code = "importo_non_valido"

    def __init__(self) -> None:
        super().__init__("Indica un importo tra € 0,01 e € 999.999.999,99 (il limite di pagoPA).")


class UnknownSchool(AccountsError):
    code = "scuola_sconosciuta"

    def __init__(self, school_id: str) -> None:
        super().__init__(
            f"La scuola «{school_id}» non ha alunni iscritti quest'anno: controlla il codice della scuola."
        )


class NoticeNotFound(AccountsError):
    code = "avviso_non_trovato"

    def __init__(self) -> None:
        super().__init__("Avviso di pagamento non trovato.")


class NoticeNotCancellable(AccountsError):
    code = "avviso_non_annullabile"

    def __init__(self, activated: bool) -> None:
        super().__init__(
            "Il pagamento di questo avviso è già stato avviato presso un prestatore di servizi di pagamento: "
            "non può più essere annullato. Se non viene completato, l'avviso scade da solo."
            if activated
            else "Si può annullare solo un avviso ancora da pagare."
        )


class InvalidMessage(AccountsError):
    code = "messaggio_non_valido"

    def __init__(self, most: int) -> None:
        super().__init__(f"Scrivi un messaggio tra 2 e {most} caratteri.")


class NotAllowed(AccountsError):
    """The person may not do this (their role, or a rule such as the four eyes): 403."""

    code = "operazione_non_consentita"

    def __init__(self, message: str = "Operazione non consentita al tuo ruolo.") -> None:
        super().__init__(message)


class RequestNotFound(AccountsError):
    code = "richiesta_non_trovata"

    def __init__(self) -> None:
        super().__init__("Richiesta non trovata.")


class FormAlreadyRecorded(AccountsError):
    code = "modulo_gia_registrato"

    def __init__(self, number: str) -> None:
        super().__init__(f"Il modulo n. {number} è già stato registrato con dati diversi.")


class PriceInUse(AccountsError):
    code = "tariffa_gia_applicata"

    def __init__(self) -> None:
        super().__init__(
            "Questo prezzo è già stato applicato a pasti addebitati e non si può cambiare: "
            "inserisci un nuovo prezzo con una data di validità successiva."
        )


class ResetLinkInvalid(AccountsError):
    code = "collegamento_non_valido"

    def __init__(self) -> None:
        super().__init__("Il collegamento per reimpostare la password non è valido o è scaduto: chiedine uno nuovo.")


class TooManyRequests(AccountsError):
    code = "troppe_richieste"

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Troppe richieste. Riprova tra {minutes} minuti.")


class AlreadyDecided(AccountsError):
    code = "gia_decisa"

    def __init__(self) -> None:
        super().__init__("Questa rettifica è già stata decisa.")
