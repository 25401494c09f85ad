"""Receipt anomalies as the office sees and settles them: a receipt kept but never credited (a
second receipt, one for a cancelled notice, one of another amount) is resolved once, by a
responsabile, with a reason: credited to the family after all, to be refunded, or dismissed.
Pure."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from payments.domain.exceptions import AnomalyAlreadyResolved, AnomalyWithoutAccount, ResolutionNotAllowed
from shared.acting import Person
from shared.events import PaymentReceived

# Who may settle money: the roles `accounts` gives the "money" permission (the gateway checks it
# first; this is the service's own guard, so that an operator's token cannot do it either).
MONEY_ROLES = frozenset({"manager", "automation"})


class Resolution(enum.StrEnum):
    CREDIT = "credit"  # credited to the family's account, once (a payment-received of its own)
    REFUND = "refund"  # to be refunded to whoever paid
    DISMISS = "dismiss"  # nothing to do (explained by the reason)


@dataclass(frozen=True)
class KeptAnomaly:
    receipt_id: str
    kind: str
    notice_number: str
    iuv: str
    account_id: uuid.UUID | None
    amount_cents: int
    expected_cents: int | None
    psp: str
    channel: str | None
    paid_at: datetime
    received_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    outcome: Resolution | None = None
    reason: str | None = None

    @property
    def payment_id(self) -> uuid.UUID:
        """The credit's own payment id: never the one of a receipt that was credited."""
        return uuid.uuid5(uuid.NAMESPACE_URL, f"refettorio:anomaly-credit:{self.receipt_id}")

    def credit(self) -> PaymentReceived:
        assert self.account_id is not None
        return PaymentReceived(
            payment_id=self.payment_id,
            notice_number=self.notice_number,
            iuv=self.iuv,
            account_id=self.account_id,
            amount_cents=self.amount_cents,
            paid_at=self.paid_at,
            channel=self.channel or "",
            psp=self.psp,
            receipt_id=self.receipt_id,
        )


@dataclass(frozen=True)
class Resolve:
    receipt_id: str
    outcome: Resolution
    reason: str


def check_resolvable(found: KeptAnomaly, who: Person, outcome: Resolution) -> None:
    if who.role not in MONEY_ROLES:
        raise ResolutionNotAllowed()
    if found.resolved_at is not None:
        raise AnomalyAlreadyResolved(found.receipt_id)
    if outcome is Resolution.CREDIT and found.account_id is None:
        raise AnomalyWithoutAccount()
