"""Accepts a payment receipt once: the receipt and its `payment-received` commit together.

Idempotency: `receipt_id` is the primary key, and (creditor fiscal code, IUV) is unique for the
node's receipts; the same receipt again (the node retries when it got no answer) finds its row
and emits nothing. `payment_id` is derived from the receipt id. `record_receipt` is the single
path that records a receipt, called by the node's paSendRT (see `receive_node_receipt`), which
closes the notice in the same transaction: every credit has its notice.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import receipt
from shared.db import SqlUnitOfWork
from shared.events import PaymentReceived


@dataclass(frozen=True)
class Receipt:
    receipt_id: str
    account_id: uuid.UUID
    amount_cents: int
    notice_number: str
    iuv: str
    psp: str
    channel: str
    paid_at: datetime
    creditor_fiscal_code: str | None = None
    stand_in: bool = False

    @property
    def payment_id(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"refettorio:receipt:{self.receipt_id}")


async def record_receipt(uow: SqlUnitOfWork, accepted: Receipt) -> bool:
    """Writes the receipt and queues its `payment-received`; False (and nothing) if it exists."""
    inserted = await uow.connection.execute(
        insert(receipt)
        .values(payment_id=accepted.payment_id, **asdict(accepted))
        .on_conflict_do_nothing()  # on receipt_id, the payment_id derived from it, or (creditor, IUV)
        .returning(receipt.c.receipt_id)
    )
    if inserted.first() is None:
        return False
    await uow.publish(
        PaymentReceived(
            payment_id=accepted.payment_id,
            notice_number=accepted.notice_number,
            iuv=accepted.iuv,
            account_id=accepted.account_id,
            amount_cents=accepted.amount_cents,
            paid_at=accepted.paid_at,
            channel=accepted.channel,
            psp=accepted.psp,
            receipt_id=accepted.receipt_id,
        )
    )
    return True
