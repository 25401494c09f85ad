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


class TerminalNotFound(AttendanceError):
    code = "terminale_non_trovato"

    def __init__(self) -> None:
        super().__init__("Terminale inesistente o revocato.")
