"""Corrections after the close on PostgreSQL: who, when, why, and what each did."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import correction
from attendance.domain.corrections import CorrectionRecord, Effect, Kind

_RECORD = [column for column in correction.c if column.name != "id"]


class SqlCorrections:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def record(self, fix: CorrectionRecord) -> None:
        await self._conn.execute(
            correction.insert().values(
                school_id=fix.school_id,
                student_id=fix.student_id,
                service_date=fix.service_date,
                kind=fix.kind.value,
                reason=fix.reason,
                effect=fix.effect.value,
                corrected_by=fix.corrected_by,
            )
        )

    async def of_student(self, student_id: uuid.UUID, first: date, last: date) -> list[CorrectionRecord]:
        rows = await self._conn.execute(
            select(*_RECORD)
            .where(correction.c.student_id == student_id, correction.c.service_date.between(first, last))
            .order_by(correction.c.id)
        )
        return [CorrectionRecord(**{**r._mapping, "kind": Kind(r.kind), "effect": Effect(r.effect)}) for r in rows]
