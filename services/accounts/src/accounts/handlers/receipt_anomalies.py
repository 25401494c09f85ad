"""The receipt anomalies payments keeps, for the office: unresolved first, then those resolved,
with how and by whom. Read-only."""

from __future__ import annotations

from typing import Any

from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import Gateways


async def receipt_anomalies(gateways: Gateways, who: Principal, unresolved_only: bool = False) -> list[dict[str, Any]]:
    require(who, Permission.OFFICE)
    return await gateways.payments.anomalies(unresolved_only)
