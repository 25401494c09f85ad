"""The operator confirms a class's register from the screen ("Classe rilevata"), whoever is
absent: the class counts as recorded, and closing the day asks nothing more about it.

Today only, on a served day not yet closed. Idempotency: the screen's key (a confirmation
replayed is applied once), and the register is taken once whatever happens. Emits nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from attendance.domain.exceptions import UnknownClass
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class TakeRegister:
    change_id: uuid.UUID
    school_id: str
    class_id: str
    service_date: date
    taken_by: str
    now: datetime


async def take_register(uow: AttendanceUnitOfWork, command: TakeRegister) -> None:
    async with uow:
        day = await uow.days.lock(command.school_id, command.service_date)
        if not await uow.changes.claim(command.change_id, "register", command.taken_by):
            return
        day.check_today(command.now)
        day.check_absences(command.class_id)
        roster = await uow.roster.enrolled(SchoolYear.of(command.service_date), [command.school_id])
        if not any(entry.class_id == command.class_id for entry in roster):
            raise UnknownClass()
        await uow.absences.take_register(command.school_id, command.class_id, command.service_date, command.taken_by)
        await uow.commit()
