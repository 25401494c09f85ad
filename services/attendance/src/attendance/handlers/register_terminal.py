"""The office registers a school's terminal: its credential is shown once (for automation), with a
pairing code valid a few minutes (for a tablet); the secret and the code are kept as digests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from attendance.domain.terminals import IssuedCredential, Pairing, Terminal
from attendance.handlers.ports import AttendanceUnitOfWork
from shared import secrets


@dataclass(frozen=True)
class RegisterTerminal:
    school_id: str
    label: str
    now: datetime
    pairing_for: timedelta


async def register_terminal(uow: AttendanceUnitOfWork, command: RegisterTerminal) -> IssuedCredential:
    secret = secrets.new_secret()
    created = Terminal(uuid.uuid4(), command.school_id, command.label)
    pairing = Pairing.issue(command.now, command.pairing_for)
    async with uow:
        await uow.terminals.add(created, secrets.digest(secret), pairing.kept)
        await uow.commit()
    return IssuedCredential(created, created.credential(secret), pairing)
