"""A responsabile settles a receipt anomaly, once: credit, refund or dismiss, with a reason.

The anomaly's row is locked (`FOR UPDATE`): two resolutions at once are serialised, and the
second finds it resolved (`AnomalyAlreadyResolved`, 409). A credit is a `payment-received` of
its own, in the outbox of the same transaction as the resolution: accounts credits it like any
payment, once (its inbox, and the ledger's unique `("payment", payment_id)`), so the ledger
keeps its guarantees. A refund is recorded as to be refunded (the office's list); a dismissal
moves nothing.
"""

from __future__ import annotations

import dataclasses
import logging

from payments.domain.anomalies import KeptAnomaly, Resolution, Resolve, check_resolvable
from payments.domain.exceptions import AnomalyNotFound
from payments.handlers.ports import PaymentsUnitOfWork
from shared.acting import Person

log = logging.getLogger(__name__)


async def resolve_anomaly(uow: PaymentsUnitOfWork, command: Resolve, who: Person) -> KeptAnomaly:
    async with uow:
        found = await uow.anomalies.get(command.receipt_id, for_update=True)
        if found is None:
            raise AnomalyNotFound()
        check_resolvable(found, who, command.outcome)
        at = await uow.anomalies.resolve(command, who.author)
        if command.outcome is Resolution.CREDIT:
            await uow.publish(found.credit())
        await uow.commit()
    log.info("receipt anomaly resolved", extra={"outcome": command.outcome.value, "kind": found.kind})
    return dataclasses.replace(
        found, resolved_at=at, resolved_by=who.author, outcome=command.outcome, reason=command.reason
    )
