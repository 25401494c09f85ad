"""The office gives a live terminal a new secret and a new pairing code: the old credential stops
working at once (the tablet that held it is logged out), and a tablet pairs again with the code."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from attendance.domain.exceptions import TerminalNotFound
from attendance.domain.terminals import IssuedCredential, Pairing
from attendance.handlers.ports import AttendanceUnitOfWork
from shared import secrets


async def rotate_terminal_secret(
    uow: AttendanceUnitOfWork, terminal_id: uuid.UUID, now: datetime, pairing_for: timedelta
) -> IssuedCredential:
    secret = secrets.new_secret()
    pairing = Pairing.issue(now, pairing_for)
    async with uow:
        rotated = await uow.terminals.rotate(terminal_id, secrets.digest(secret), pairing.kept)
        if rotated is None:
            raise TerminalNotFound()
        await uow.commit()
    return IssuedCredential(rotated, rotated.credential(secret), pairing)
