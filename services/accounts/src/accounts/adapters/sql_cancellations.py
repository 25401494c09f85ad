"""Meals cancelled after the fact, on PostgreSQL: remembered even before their charge arrives."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import cancelled_meal
from shared.events import MealCancelled


class SqlCancellations:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def record(self, cancelled: Sequence[MealCancelled]) -> None:
        if not cancelled:
            return
        rows = [{"meal_id": c.meal_id, "account_id": c.account_id, "reason": c.reason} for c in cancelled]
        await self._conn.execute(insert(cancelled_meal).values(rows).on_conflict_do_nothing())

    async def among(self, meal_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        if not meal_ids:
            return set()
        return set((await self._conn.execute(_AMONG, {"ids": list(meal_ids)})).scalars())


_AMONG = text("SELECT meal_id FROM cancelled_meal WHERE meal_id = ANY(CAST(:ids AS uuid[]))")
