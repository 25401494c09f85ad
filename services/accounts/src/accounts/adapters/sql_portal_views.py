"""What the family's pages read on PostgreSQL besides the account, its movements and the
Scrivania: the children with their enrolment and tariff, and a notice's credit in the ledger."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.sql_views import MOVEMENT_COLUMNS
from accounts.adapters.tables import enrolment, ledger_entry, student, tariff_band
from accounts.domain.ledger import Cause
from accounts.handlers.read_models import ChildEnrolment, MovementLine
from shared.school_year import SchoolYear


class SqlPortalViews:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def children(self, account_id: uuid.UUID, year: SchoolYear) -> list[ChildEnrolment]:
        band = and_(tariff_band.c.id == enrolment.c.tariff_band, tariff_band.c.school_year == enrolment.c.school_year)
        rows = await self._conn.execute(
            select(
                student.c.id,
                student.c.first_name,
                student.c.last_name,
                enrolment.c.school_id,
                enrolment.c.class_id,
                enrolment.c.diet,
                enrolment.c.tariff_band,
                tariff_band.c.name,
            )
            .join(enrolment, enrolment.c.student_id == student.c.id)
            .join(tariff_band, band, isouter=True)
            .where(student.c.account_id == account_id, enrolment.c.school_year == str(year), enrolment.c.active)
            .order_by(student.c.seq)
        )
        return [ChildEnrolment(*row) for row in rows]

    async def credit_of(self, account_id: uuid.UUID, description: str) -> MovementLine | None:
        row = (
            await self._conn.execute(
                select(*MOVEMENT_COLUMNS)
                .where(
                    ledger_entry.c.account_id == account_id,
                    ledger_entry.c.cause == Cause.TOP_UP.value,
                    ledger_entry.c.description == description,
                )
                .limit(1)
            )
        ).first()
        return MovementLine(*row) if row else None
