"""A student's attendance in a month: each day with a meal, an absence or a correction.

Read-only; the gateway shows it to the parents, the office sees it for any student.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.tables import absence, absence_announcement, correction, meal
from attendance.domain.calendar import month_bounds


async def attendance_history(conn: AsyncConnection, student_id: uuid.UUID, month: date) -> list[dict[str, object]]:
    first, last = month_bounds(month)
    days: dict[date, dict[str, object]] = {}

    def day(on: date) -> dict[str, object]:
        return days.setdefault(on, {"service_date": on, "status": "assente", "corrections": []})

    for table, column in (
        (absence, absence.c.service_date),
        (absence_announcement, absence_announcement.c.service_date),
    ):
        for on in (
            await conn.execute(select(column).where(table.c.student_id == student_id, column.between(first, last)))
        ).scalars():
            entry = day(on)
            if table is absence_announcement:
                entry["announced_by_parent"] = True
    meals = await conn.execute(
        select(meal.c.service_date, meal.c.school_id, meal.c.class_id, meal.c.cancelled_at, meal.c.cancel_reason).where(
            meal.c.student_id == student_id, meal.c.service_date.between(first, last)
        )
    )
    for row in meals:
        entry = day(row.service_date)
        entry |= {"school_id": row.school_id, "class_id": row.class_id}
        entry["status"] = "presente" if row.cancelled_at is None else "pasto_annullato"
        if row.cancel_reason:
            entry["cancel_reason"] = row.cancel_reason
    fixes = await conn.execute(
        select(correction.c.service_date, correction.c.kind, correction.c.reason, correction.c.effect)
        .add_columns(correction.c.corrected_by, correction.c.corrected_at)
        .where(correction.c.student_id == student_id, correction.c.service_date.between(first, last))
        .order_by(correction.c.id)
    )
    for row in fixes:
        corrections = day(row.service_date)["corrections"]
        assert isinstance(corrections, list)
        corrections.append({k: v for k, v in row._mapping.items() if k != "service_date"})
    return [days[on] for on in sorted(days)]
