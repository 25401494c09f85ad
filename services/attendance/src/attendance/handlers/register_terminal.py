"""The office registers a school's terminal: its credential is shown once, its secret kept as a digest."""

from __future__ import annotations

import uuid

from attendance.domain.terminals import IssuedCredential, Terminal
from attendance.handlers.ports import AttendanceUnitOfWork
from shared import secrets


async def register_terminal(uow: AttendanceUnitOfWork, school_id: str) -> IssuedCredential:
    secret = secrets.new_secret()
    created = Terminal(uuid.uuid4(), school_id)
    async with uow:
        await uow.terminals.add(created, secrets.digest(secret))
        await uow.commit()
    return IssuedCredential(created, created.credential(secret))
