"""Receipt anomalies (payments keeps them: a receipt for a notice already paid or cancelled, or
of another amount) as the office resolves them: credit the family, refund the payer, or dismiss,
always with a reason. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accounts.domain.exceptions import AccountsError


class Outcome(StrEnum):
    CREDIT = "credit"  # credited to the family's account (a payment-received of its own, once)
    REFUND = "refund"  # to be refunded to whoever paid
    DISMISS = "dismiss"  # nothing to do, as the reason explains


MIN_REASON, MAX_REASON = 3, 300


class ReasonMissing(AccountsError):
    code = "motivo_obbligatorio"

    def __init__(self) -> None:
        super().__init__(f"Scrivi il motivo della decisione (da {MIN_REASON} a {MAX_REASON} caratteri).")


class AnomalyNotFound(AccountsError):
    code = "anomalia_sconosciuta"

    def __init__(self) -> None:
        super().__init__("Anomalia di pagamento non trovata.")


@dataclass(frozen=True)
class Resolution:
    receipt_id: str
    outcome: Outcome
    reason: str

    def __post_init__(self) -> None:
        if not MIN_REASON <= len(self.reason.strip()) <= MAX_REASON:
            raise ReasonMissing()
