from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from attendance.config import AttendanceSettings
from attendance.domain.exceptions import TerminalNotFound
from attendance.handlers.terminals import Terminal, authenticate
from shared.db import UnitOfWork
from shared.http import HttpError, bearer_token, same_secret, unauthorised
from shared.service import Infrastructure


def infrastructure(request: Request) -> Infrastructure:
    infra: Infrastructure = request.app.state.infra
    return infra


InfraDep = Annotated[Infrastructure, Depends(infrastructure)]


def settings(infra: InfraDep) -> AttendanceSettings:
    assert isinstance(infra.settings, AttendanceSettings)
    return infra.settings


SettingsDep = Annotated[AttendanceSettings, Depends(settings)]
TokenDep = Annotated[str | None, Depends(bearer_token)]


def unit_of_work(infra: InfraDep) -> UnitOfWork:
    return infra.unit_of_work()


UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]


def require_service(infra: InfraDep, token: TokenDep) -> None:
    """Office actions reach attendance through the accounts gateway, with the service credential."""
    if not same_secret(token, infra.settings.service_token):
        raise unauthorised()


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
