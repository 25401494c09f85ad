from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from attendance.config import AttendanceSettings
from attendance.domain.exceptions import TerminalNotFound
from attendance.handlers.terminals import Terminal, authenticate
from shared.dependencies import InfraDep, TokenDep
from shared.http import HttpError, unauthorised


def settings(infra: InfraDep) -> AttendanceSettings:
    assert isinstance(infra.settings, AttendanceSettings)
    return infra.settings


SettingsDep = Annotated[AttendanceSettings, Depends(settings)]


async def current_terminal(infra: InfraDep, token: TokenDep) -> Terminal:
    """`Authorization: Bearer <terminal id>.<secret>`: 401 unless a live terminal's secret."""
    terminal_id, _, secret = (token or "").partition(".")
    try:
        parsed = uuid.UUID(terminal_id)
    except ValueError:
        raise unauthorised() from None
    async with infra.engine.connect() as conn:
        try:
            return await authenticate(conn, parsed, secret)
        except TerminalNotFound:
            raise unauthorised() from None


TerminalDep = Annotated[Terminal, Depends(current_terminal)]


def own_school(terminal: Terminal, school_id: str) -> None:
    if terminal.school_id != school_id:
        raise HttpError(403, "scuola_non_autorizzata", "Il terminale non appartiene a questa scuola.")
