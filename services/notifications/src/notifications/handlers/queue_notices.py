"""Turns notices into delivery-log rows: one per channel, routed by opt-outs and quiet hours.

Runs inside the caller's transaction (the inbox claim or the reminder run), so a notice is logged
exactly when the fact that caused it is marked processed. Returns how many rows were new.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters import delivery_log
from notifications.domain.delivery import QuietHours, route
from notifications.domain.notices import Notice


async def queue_notices(conn: AsyncConnection, notices: Sequence[Notice], now: datetime, quiet: QuietHours) -> int:
    cards = await delivery_log.contacts(conn, {n.account_id for n in notices})
    rows: list[dict[str, Any]] = []
    for notice in notices:
        card = cards.get(notice.account_id)
        for channel in notice.channels:
            routed = route(channel, card, now, quiet)
            if routed is None:
                continue
            rows.append(
                {
                    "account_id": notice.account_id,
                    "rule": notice.rule.value,
                    "cause_id": notice.cause_id,
                    "event_id": notice.event_id,
                    "channel": channel,
                    "params": notice.params,
                    "recipient": None,
                    "state": routed.state.value,
                    "not_before": routed.not_before,
                }
            )
    return await delivery_log.enqueue(conn, rows)
