"""The office registers, lists, rotates and revokes school terminals (service credential, through
the accounts gateway). Registering or rotating shows a credential once, for automation, and a
pairing code valid `pairing_minutes`, for a tablet (`/terminale`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends, status

from attendance.api.dependencies import SettingsDep, UowDep
from attendance.api.schemas import ListedTerminal, NewTerminal, TerminalCredential, TerminalsList
from attendance.config import AttendanceSettings
from attendance.domain.terminals import IssuedCredential
from attendance.handlers.list_terminals import list_terminals
from attendance.handlers.register_terminal import RegisterTerminal, register_terminal
from attendance.handlers.revoke_terminal import revoke_terminal as revoke
from attendance.handlers.rotate_terminal_secret import rotate_terminal_secret
from shared import local_time
from shared.dependencies import require_service

router = APIRouter(prefix="/office/terminals", tags=["office"], dependencies=[Depends(require_service)])


def _credential(issued: IssuedCredential, settings: AttendanceSettings) -> TerminalCredential:
    return TerminalCredential(
        terminal_id=issued.terminal.terminal_id,
        school_id=issued.terminal.school_id,
        label=issued.terminal.label,
        token=issued.token,
        pairing_code=issued.pairing.shown if issued.pairing else None,
        pairing_expires_at=issued.pairing.expires_at if issued.pairing else None,
        pairing_url=f"{settings.public_url}/terminale",
    )


def _pairing_for(settings: AttendanceSettings) -> timedelta:
    return timedelta(minutes=settings.pairing_minutes)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_terminal(body: NewTerminal, uow: UowDep, settings: SettingsDep) -> TerminalCredential:
    command = RegisterTerminal(body.school_id, body.label, datetime.now(UTC), _pairing_for(settings))
    return _credential(await register_terminal(uow, command), settings)


@router.get("")
async def get_terminals(uow: UowDep) -> TerminalsList:
    found = await list_terminals(uow, local_time.today())
    listed = [
        ListedTerminal(
            terminal_id=t.terminal.terminal_id,
            school_id=t.terminal.school_id,
            label=t.terminal.label,
            created_at=t.created_at,
            paired_at=t.paired_at,
            revoked_at=t.revoked_at,
            pairing_expires_at=t.pairing_expires_at,
        )
        for t in found.terminals
    ]
    return TerminalsList(terminals=listed, schools=found.schools)


@router.post("/{terminal_id}/rotate")
async def rotate_terminal(terminal_id: uuid.UUID, uow: UowDep, settings: SettingsDep) -> TerminalCredential:
    rotated = await rotate_terminal_secret(uow, terminal_id, datetime.now(UTC), _pairing_for(settings))
    return _credential(rotated, settings)


@router.post("/{terminal_id}/revoke", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_terminal(terminal_id: uuid.UUID, uow: UowDep) -> None:
    await revoke(uow, terminal_id)
