"""Before a closure is confirmed: how many meals already charged it would cancel ("Questa chiusura
annullerà N pasti già addebitati"). Read-only."""

from __future__ import annotations

from datetime import date

from attendance.handlers.ports import AttendanceUnitOfWork


async def meals_to_cancel(uow: AttendanceUnitOfWork, school_id: str, first: date, last: date, class_id: str) -> int:
    """Of a school (`EVERY_SCHOOL`: the municipal calendar's) or one of its classes, between two days."""
    async with uow:
        return await uow.meals.charged(school_id, first, last, class_id)
