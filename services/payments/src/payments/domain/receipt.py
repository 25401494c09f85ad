"""The node's receipt (ricevuta telematica) and what becomes of it: credited once, a duplicate,
or an anomaly kept for the office and never credited."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from payments.domain.faults import Fault, NodeFault
from payments.domain.notice import Notice, NoticeState
from shared.events import PaymentReceived


class Outcome(enum.StrEnum):
    CREDITED = "credited"
    DUPLICATE = "duplicate"
    ANOMALY = "anomaly"


@dataclass(frozen=True)
class Receipt:
    """What the node's paSendRT(V2) tells us; the account it credits is the notice's."""

    receipt_id: str
    creditor_fiscal_code: str
    notice_number: str
    iuv: str
    amount_cents: int
    psp: str
    channel: str
    paid_at: datetime
    stand_in: bool

    @property
    def payment_id(self) -> uuid.UUID:
        """Derived from the receipt id: the same receipt is always the same payment."""
        return uuid.uuid5(uuid.NAMESPACE_URL, f"refettorio:receipt:{self.receipt_id}")

    def payment_received(self, account_id: uuid.UUID) -> PaymentReceived:
        return PaymentReceived(
            payment_id=self.payment_id,
            notice_number=self.notice_number,
            iuv=self.iuv,
            account_id=account_id,
            amount_cents=self.amount_cents,
            paid_at=self.paid_at,
            channel=self.channel,
            psp=self.psp,
            receipt_id=self.receipt_id,
        )


@dataclass(frozen=True)
class Anomaly:
    """A receipt kept but not credited: the office settles it (a refund or a manual credit)."""

    kind: str
    receipt: Receipt
    account_id: uuid.UUID
    expected_cents: int


def notice_paid_by(notice: Notice | None, receipt: Receipt, creditor_fiscal_code: str) -> Notice:
    """The notice the receipt pays, or the fault that tells the node it is not ours."""
    if receipt.creditor_fiscal_code != creditor_fiscal_code or notice is None:
        raise NodeFault(Fault.UNKNOWN_NOTICE)
    if notice.iuv != receipt.iuv:
        raise NodeFault(Fault.SEMANTIC, "creditorReferenceId non corrisponde all'avviso")
    return notice


def closed_by_receipt(notice: Notice) -> bool:
    """Whether a receipt closes the notice as paid (one kept as an anomaly does too: paid, if not
    as asked, it must not be paid again)."""
    return notice.state in (NoticeState.OPEN, NoticeState.CANCELLING)


def anomaly_of(notice: Notice, receipt: Receipt) -> Anomaly | None:
    """A second receipt, one for a cancelled notice, or one of another amount is never credited.
    (A receipt for an expired notice is credited: the money was taken; so is one for a notice
    whose cancellation ACA had not yet registered: the node's Stand-In could still take it.)"""
    if notice.state is NoticeState.PAID:
        kind = "second_receipt"
    elif notice.state is NoticeState.CANCELLED:
        kind = "notice_cancelled"
    elif receipt.amount_cents != notice.amount_cents:
        kind = "amount_mismatch"
    else:
        return None
    return Anomaly(kind, receipt, notice.account_id, notice.amount_cents)
