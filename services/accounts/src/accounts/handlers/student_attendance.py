"""A child's attendance in a month, as attendance keeps it, for their family or the office."""

from __future__ import annotations

import uuid

from accounts.handlers.ports import AccountsUnitOfWork, AttendanceGateway, JsonObject


async def student_attendance(
    uow: AccountsUnitOfWork, attendance: AttendanceGateway, account_id: uuid.UUID, student_id: uuid.UUID, month: str
) -> JsonObject:
    async with uow:
        await uow.families.student_of(account_id, student_id)
    return await attendance.month_of(student_id, month)
