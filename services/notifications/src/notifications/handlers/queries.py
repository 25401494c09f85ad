"""Reads for the office: a family's delivery log, newest first, addresses masked."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from notifications.adapters import delivery_log
from shared.db import SqlUnitOfWork

_FIELDS = (
    "id",
    "rule",
    "cause_id",
    "event_id",
    "channel",
    "state",
    "attempts",
    "last_error",
    "not_before",
    "sent_at",
    "created_at",
    "updated_at",
)


async def delivery_log_of(
    unit_of_work: Callable[[], SqlUnitOfWork], account_id: uuid.UUID, limit: int
) -> list[dict[str, Any]]:
    async with unit_of_work() as uow:
        rows = await delivery_log.log_of(uow.connection, account_id, limit)
    return [{name: row[name] for name in _FIELDS} | {"recipient": mask(row["recipient"])} for row in rows]


def mask(address: str | None) -> str | None:
    """`m***@example.it`, `***4567`: enough for the office to recognise, not to copy."""
    if not address:
        return None
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"***{address[-4:]}"
