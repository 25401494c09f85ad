from __future__ import annotations

from shared.errors import PermanentError


class AttendanceError(PermanentError):
    """Base of the attendance service's domain errors."""


class DayAlreadyClosed(AttendanceError):
    code = "giornata_chiusa"

    def __init__(self) -> None:
        super().__init__("La giornata è già chiusa: le presenze non si possono più modificare.")


class UnknownStudents(AttendanceError):
    code = "alunni_sconosciuti"

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} alunni indicati non sono iscritti in questa classe.")


class UnknownClass(AttendanceError):
    code = "classe_sconosciuta"

    def __init__(self) -> None:
        super().__init__("Nessun alunno iscritto al servizio mensa in questa classe.")


class TerminalNotFound(AttendanceError):
    code = "terminale_non_trovato"

    def __init__(self) -> None:
        super().__init__("Terminale inesistente o revocato.")


class NotThisSchool(AttendanceError):
    code = "scuola_non_autorizzata"

    def __init__(self) -> None:
        super().__init__("Il terminale non appartiene a questa scuola.")


class NoServiceOnDay(AttendanceError):
    code = "giorno_senza_servizio"

    def __init__(self) -> None:
        super().__init__("In questo giorno il servizio mensa non è previsto per questa scuola o classe.")


class FutureDay(AttendanceError):
    code = "giornata_futura"

    def __init__(self) -> None:
        super().__init__("Non si può chiudere in anticipo una giornata che non è ancora iniziata.")


class DayNotClosed(AttendanceError):
    code = "giornata_non_chiusa"

    def __init__(self) -> None:
        super().__init__("La giornata non è ancora chiusa: le assenze si registrano dal terminale.")


class TooLate(AttendanceError):
    code = "troppo_tardi"

    def __init__(self) -> None:
        super().__init__("È troppo tardi per comunicare l'assenza: l'orario limite della scuola è passato.")


class UnknownStudent(AttendanceError):
    code = "alunno_sconosciuto"

    def __init__(self) -> None:
        super().__init__("L'alunno non risulta iscritto al servizio mensa in questa scuola.")


class CorrectionWindowClosed(AttendanceError):
    code = "correzione_scaduta"

    def __init__(self) -> None:
        super().__init__("Il tempo per correggere dal terminale è scaduto: rivolgersi all'Ufficio Scuola.")


class MealAlreadyCancelled(AttendanceError):
    code = "pasto_annullato"

    def __init__(self) -> None:
        super().__init__("Il pasto di questo giorno è già stato annullato e non può essere addebitato di nuovo.")


class NotToday(AttendanceError):
    code = "solo_oggi"

    def __init__(self) -> None:
        super().__init__(
            "Dal terminale si registra solo la giornata di oggi: per gli altri giorni rivolgersi all'Ufficio Scuola."
        )


class ReasonRequired(AttendanceError):
    code = "motivo_richiesto"

    def __init__(self) -> None:
        super().__init__("Per chiudere una giornata già passata indica il motivo.")


class UnrecordedClasses(AttendanceError):
    code = "classi_non_rilevate"

    def __init__(self, classes: list[str]) -> None:
        super().__init__(
            f"Classi non ancora rilevate: {', '.join(classes)}. Rilevale, oppure conferma che in queste classi "
            "erano tutti presenti."
        )


class AnnouncedAbsence(AttendanceError):
    code = "assenza_comunicata"

    def __init__(self) -> None:
        super().__init__(
            "L'assenza è stata comunicata dal genitore: se l'alunno è presente, correggi dopo la chiusura (Correzioni)."
        )


class PairingCodeInvalid(AttendanceError):
    code = "codice_non_valido"

    def __init__(self) -> None:
        super().__init__("Codice di abbinamento non valido o scaduto: chiedi all'Ufficio Scuola un nuovo codice.")


class ClosureNotFound(AttendanceError):
    code = "chiusura_non_trovata"

    def __init__(self) -> None:
        super().__init__("Nessuna chiusura dichiarata per questo giorno, scuola e classe.")


class ClosureOfClosedDay(AttendanceError):
    code = "chiusura_non_rimovibile"

    def __init__(self) -> None:
        super().__init__(
            "La giornata è già stata chiusa: la chiusura non si può più togliere, perché i pasti che ha annullato "
            "(o che la chiusura della giornata non ha addebitato) non si possono riaddebitare. Per chi ha mangiato "
            "registra una rettifica del saldo."
        )


class RangeTooLong(AttendanceError):
    code = "periodo_troppo_lungo"

    def __init__(self, days: int) -> None:
        super().__init__(f"Il periodo va dal primo all'ultimo giorno e dura al massimo {days} giorni.")
