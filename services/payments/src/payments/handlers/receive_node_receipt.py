"""The node's receipt (paSendRT / paSendRTV2): credited once, or kept as an anomaly.

Idempotency: the notice row is locked (`FOR UPDATE`), so deliveries of one notice's receipts are
serialised; a `receipt_id` already recorded (as a receipt or as an anomaly) is a duplicate and
changes nothing, and so is a receipt whose payment id or (creditor fiscal code, IUV) is taken.
A new receipt for an open notice of the same amount (or an expired one: the money was taken;
or one whose cancellation ACA has not registered yet: the Stand-In could take it) is
recorded with its `payment-received` in the outbox and the notice closed as paid, in one
commit, before the node hears OK. A receipt for an already paid or cancelled notice, or with
another amount, is kept as an anomaly for the office and never credited. Stand-in receipts
follow the same path: only the notice must exist.
"""

from __future__ import annotations

import logging

from payments.domain.notice import Notice, NoticeState
from payments.domain.receipt import Outcome, Receipt, anomaly_of, closed_by_receipt, notice_paid_by
from payments.domain.station import Station
from payments.handlers.ports import PaymentsUnitOfWork

log = logging.getLogger(__name__)


async def receive_node_receipt(uow: PaymentsUnitOfWork, receipt: Receipt, station: Station) -> Outcome:
    """What became of the receipt; a duplicate raises the node's fault unless the station answers it OK."""
    async with uow:
        found = await uow.notices.get(receipt.notice_number, for_update=True)
        notice = notice_paid_by(found, receipt, station.creditor_fiscal_code)
        outcome = await _settle(uow, notice, receipt)
        if outcome is not Outcome.DUPLICATE:
            await uow.commit()
    log.info("receipt from the node", extra={"outcome": outcome.value, "stand_in": receipt.stand_in})
    station.acknowledge(outcome)
    return outcome


async def _settle(uow: PaymentsUnitOfWork, notice: Notice, receipt: Receipt) -> Outcome:
    if await uow.receipts.recorded(receipt.receipt_id):
        return Outcome.DUPLICATE
    anomaly = anomaly_of(notice, receipt)
    if anomaly is not None:
        await uow.receipts.add_anomaly(anomaly)
    elif await uow.receipts.add(receipt, notice.account_id):
        await uow.publish(receipt.payment_received(notice.account_id))
    else:
        return Outcome.DUPLICATE
    if closed_by_receipt(notice):
        await uow.notices.close(notice.notice_number, NoticeState.PAID, receipt.receipt_id)
    return Outcome.ANOMALY if anomaly is not None else Outcome.CREDITED
