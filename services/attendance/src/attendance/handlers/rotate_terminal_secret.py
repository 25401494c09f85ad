"""The office gives a live terminal a new secret; the old credential stops working at once."""

from __future__ import annotations

import uuid

from attendance.domain.exceptions import TerminalNotFound
from attendance.domain.terminals import IssuedCredential
from attendance.handlers.ports import AttendanceUnitOfWork
from shared import secrets


async def rotate_terminal_secret(uow: AttendanceUnitOfWork, terminal_id: uuid.UUID) -> IssuedCredential:
    secret = secrets.new_secret()
    async with uow:
        rotated = await uow.terminals.rotate(terminal_id, secrets.digest(secret))
        if rotated is None:
            raise TerminalNotFound()
        await uow.commit()
    return IssuedCredential(rotated, rotated.credential(secret))
