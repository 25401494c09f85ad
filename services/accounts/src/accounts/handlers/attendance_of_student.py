"""A family's child at school, as attendance keeps it: the month's attendance (for the family or
the office), an absence the parent announces and one they withdraw (attendance decides whether
it is in time: before the school's cut-off of the day).

Both ask attendance only about a student of the account."""

from __future__ import annotations

import uuid
from datetime import date

from accounts.handlers.ports import AccountsUnitOfWork, AttendanceGateway, JsonObject


async def student_attendance(
    uow: AccountsUnitOfWork, attendance: AttendanceGateway, account_id: uuid.UUID, student_id: uuid.UUID, month: str
) -> JsonObject:
    await _own_student(uow, account_id, student_id)
    return await attendance.month_of(student_id, month)


async def announce_absence(
    uow: AccountsUnitOfWork, attendance: AttendanceGateway, account_id: uuid.UUID, student_id: uuid.UUID, day: date
) -> JsonObject:
    await _own_student(uow, account_id, student_id)
    return await attendance.announce_absence(student_id, day)


async def withdraw_absence(
    uow: AccountsUnitOfWork, attendance: AttendanceGateway, account_id: uuid.UUID, student_id: uuid.UUID, day: date
) -> JsonObject:
    await _own_student(uow, account_id, student_id)
    return await attendance.withdraw_absence(student_id, day)


async def _own_student(uow: AccountsUnitOfWork, account_id: uuid.UUID, student_id: uuid.UUID) -> None:
    async with uow:
        await uow.families.student_of(account_id, student_id)
