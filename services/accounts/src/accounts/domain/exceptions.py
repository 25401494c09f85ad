from __future__ import annotations

from shared.errors import PermanentError


class AccountsError(PermanentError):
    """Base of the accounts service's domain errors."""


class AccountNotFound(AccountsError):
    code = "conto_non_trovato"

    def __init__(self, account_id: object) -> None:
        super().__init__(f"Il conto {account_id} non esiste.")


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
