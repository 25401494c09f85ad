"""A responsabile resolves a receipt anomaly: credit the family, refund the payer, or dismiss.

Payments records the resolution once (`resolved_at`, `resolved_by`, the outcome and the reason;
a second one is its 409 `anomalia_gia_risolta`, passed on) and, for a credit, queues a
`payment-received` of its own in the same transaction: accounts books it like any payment,
once (inbox, and the ledger's unique `("payment", payment_id)`). The audit entry is written here
once payments answered, naming the person.
"""

from __future__ import annotations

import uuid
from typing import Any

from accounts.domain.anomalies import Resolution
from accounts.domain.audit import Action, entry
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork, Gateways


async def resolve_anomaly(
    uow: AccountsUnitOfWork, gateways: Gateways, who: Principal, resolution: Resolution
) -> dict[str, Any]:
    require(who, Permission.MONEY)
    reason = resolution.reason.strip()
    resolved = await gateways.payments.resolve_anomaly(resolution.receipt_id, resolution.outcome.value, reason)
    before = {"tipo": resolved["kind"], "avviso": resolved["notice_number"], "importo_cents": resolved["amount_cents"]}
    audited = entry(
        who,
        Action.ANOMALY_RESOLVED,
        resolution.receipt_id,
        account_id=uuid.UUID(resolved["account_id"]) if resolved.get("account_id") else None,
        before=before,
        after={"esito": resolution.outcome.value},
        reason=reason,
    )
    async with uow:
        await uow.audit.record(audited)
        await uow.commit()
    return resolved
