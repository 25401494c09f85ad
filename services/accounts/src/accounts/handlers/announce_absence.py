"""A parent announces their child's absence; attendance decides whether it is in time."""

from __future__ import annotations

import uuid
from datetime import date

from accounts.handlers.ports import AccountsUnitOfWork, AttendanceGateway, JsonObject


async def announce_absence(
    uow: AccountsUnitOfWork, attendance: AttendanceGateway, account_id: uuid.UUID, student_id: uuid.UUID, day: date
) -> JsonObject:
    async with uow:
        await uow.families.student_of(account_id, student_id)
    return await attendance.announce_absence(student_id, day)
