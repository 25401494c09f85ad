"""Which live terminal a credential (`<terminal id>.<secret>`) belongs to. Read-only."""

from __future__ import annotations

from attendance.domain.exceptions import TerminalNotFound
from attendance.domain.terminals import Terminal, parse_credential
from attendance.handlers.ports import AttendanceUnitOfWork
from shared import secrets


async def authenticate_terminal(uow: AttendanceUnitOfWork, credential: str) -> Terminal:
    """Raises `TerminalNotFound` unless the credential is a live terminal's."""
    terminal_id, secret = parse_credential(credential)
    async with uow:
        found = await uow.terminals.live(terminal_id)
    if found is None or not secrets.matches(secret, found[1]):
        raise TerminalNotFound()
    return found[0]
