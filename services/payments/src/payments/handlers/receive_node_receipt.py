"""The node's receipt (paSendRT / paSendRTV2): credited once, or kept as an anomaly.

Idempotency: the notice row is locked (`FOR UPDATE`), so deliveries of one notice's receipts are
serialised; a `receipt_id` already recorded (as a receipt or as an anomaly) is a duplicate and
changes nothing. A new receipt for an open (or expired: the money was taken) notice of the same
amount is recorded through `record_receipt` — its `payment-received` in the outbox — and the
notice closed as paid, in one commit, before the node hears OK. A receipt for an already paid or
cancelled notice, or with another amount, is kept in `receipt_anomaly` for the office and never
credited. Stand-in receipts follow the same path: only the notice must exist.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert

from payments.adapters import notices
from payments.adapters.tables import receipt, receipt_anomaly
from payments.domain.faults import Fault, NodeFault
from payments.domain.notice import Notice, NoticeState
from payments.handlers.accept_receipt import Receipt, record_receipt
from shared.db import SqlUnitOfWork


class Outcome(enum.StrEnum):
    CREDITED = "credited"
    DUPLICATE = "duplicate"
    ANOMALY = "anomaly"


@dataclass(frozen=True)
class NodeReceipt:
    """What the node's receipt tells us; the account is the notice's."""

    receipt_id: str
    creditor_fiscal_code: str
    notice_number: str
    iuv: str
    amount_cents: int
    psp: str
    channel: str
    paid_at: datetime
    stand_in: bool

    def for_account(self, account_id: uuid.UUID) -> Receipt:
        return Receipt(account_id=account_id, **asdict(self))


async def receive_node_receipt(uow: SqlUnitOfWork, node_receipt: NodeReceipt, ours: str) -> Outcome:
    notice = await notices.get(uow, node_receipt.notice_number, for_update=True)
    if node_receipt.creditor_fiscal_code != ours or notice is None:
        raise NodeFault(Fault.UNKNOWN_NOTICE)
    if notice.iuv != node_receipt.iuv:
        raise NodeFault(Fault.SEMANTIC, "creditorReferenceId non corrisponde all'avviso")
    if await _already_recorded(uow, node_receipt.receipt_id):
        return Outcome.DUPLICATE
    rt = node_receipt.for_account(notice.account_id)
    anomaly = _anomaly(notice, rt)
    if anomaly is not None:
        await _record_anomaly(uow, rt, anomaly, notice)
        if notice.state is NoticeState.OPEN:  # paid, if not as asked: it must not be paid again
            await notices.close(uow, notice.notice_number, NoticeState.PAID, rt.receipt_id)
        await uow.commit()
        return Outcome.ANOMALY
    if not await record_receipt(uow, rt):
        return Outcome.DUPLICATE
    await notices.close(uow, notice.notice_number, NoticeState.PAID, rt.receipt_id)
    await uow.commit()
    return Outcome.CREDITED


def _anomaly(notice: Notice, rt: Receipt) -> str | None:
    if notice.state is NoticeState.PAID:
        return "second_receipt"
    if notice.state is NoticeState.CANCELLED:
        return "notice_cancelled"
    if rt.amount_cents != notice.amount_cents:
        return "amount_mismatch"
    return None


async def _already_recorded(uow: SqlUnitOfWork, receipt_id: str) -> bool:
    query = select(
        exists().where(receipt.c.receipt_id == receipt_id) | exists().where(receipt_anomaly.c.receipt_id == receipt_id)
    )
    return bool(await uow.connection.scalar(query))


async def _record_anomaly(uow: SqlUnitOfWork, rt: Receipt, kind: str, notice: Notice) -> None:
    await uow.connection.execute(
        insert(receipt_anomaly)
        .values(
            receipt_id=rt.receipt_id,
            kind=kind,
            creditor_fiscal_code=rt.creditor_fiscal_code,
            iuv=rt.iuv,
            notice_number=rt.notice_number,
            account_id=notice.account_id,
            amount_cents=rt.amount_cents,
            expected_cents=notice.amount_cents,
            psp=rt.psp,
            stand_in=rt.stand_in,
            paid_at=rt.paid_at,
        )
        .on_conflict_do_nothing()
    )
