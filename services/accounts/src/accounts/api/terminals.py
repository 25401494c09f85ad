"""The office's school terminals as JSON, for automation (staff only): attendance keeps them, the
gateway forwards. Registering or rotating shows, once, the pairing code for a tablet and the
credential for a script (which stops working once a tablet pairs)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from accounts.api.dependencies import GatewaysDep, staff
from accounts.handlers import school_terminals as terminals

router = APIRouter(prefix="/office/terminals", tags=["office"], dependencies=[Depends(staff)])


class NewTerminal(BaseModel):
    school_id: str = Field(min_length=1, max_length=64)
    label: str = Field(default="", max_length=100)


class TerminalView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    terminal_id: uuid.UUID
    school_id: str
    label: str
    created_at: datetime
    paired_at: datetime | None
    revoked_at: datetime | None
    pairing_expires_at: datetime | None


class TerminalsView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    terminals: list[TerminalView]
    schools: list[str]


class PairingView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    terminal_id: uuid.UUID
    school_id: str
    label: str
    code: str = Field(description="Shown once: typed on the tablet at `pairing_url` before `expires_at`")
    expires_at: datetime
    pairing_url: str
    token: str = Field(description="Shown once: `Authorization: Bearer <token>` on attendance, until a tablet pairs")


@router.get("")
async def list_terminals(other: GatewaysDep) -> TerminalsView:
    return TerminalsView.model_validate(await terminals.terminals_overview(other.terminals))


@router.post("", status_code=status.HTTP_201_CREATED)
async def register(body: NewTerminal, other: GatewaysDep) -> PairingView:
    return PairingView.model_validate(await terminals.register_terminal(other.terminals, body.school_id, body.label))


@router.post("/{terminal_id}/rotate")
async def rotate(terminal_id: uuid.UUID, other: GatewaysDep) -> PairingView:
    return PairingView.model_validate(await terminals.new_pairing_code(other.terminals, terminal_id))


@router.post("/{terminal_id}/revoke", status_code=status.HTTP_204_NO_CONTENT)
async def revoke(terminal_id: uuid.UUID, other: GatewaysDep) -> None:
    await terminals.revoke_terminal(other.terminals, terminal_id)
