"""The attendance routes' dependencies: a unit of work, the settings, the calling terminal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from attendance.config import AttendanceSettings
from attendance.domain.exceptions import TerminalNotFound
from attendance.domain.terminals import Terminal
from attendance.handlers.authenticate_terminal import authenticate_terminal
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.dependencies import TokenDep, settings_of, unit_of_work
from shared.http import unauthorised

UowDep = Annotated[AttendanceUnitOfWork, Depends(unit_of_work)]
SettingsDep = Annotated[AttendanceSettings, Depends(settings_of(AttendanceSettings))]


async def current_terminal(
    token: TokenDep, uow: Annotated[AttendanceUnitOfWork, Depends(unit_of_work, use_cache=False)]
) -> Terminal:
    """`Authorization: Bearer <terminal id>.<secret>`: 401 unless a live terminal's secret."""
    try:
        return await authenticate_terminal(uow, token or "")
    except TerminalNotFound:
        raise unauthorised() from None


TerminalDep = Annotated[Terminal, Depends(current_terminal)]
