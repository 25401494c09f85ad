"""The office manages the schools' canteen tablets, which attendance keeps: sees them, registers
one for a school (a pairing code shown once), gives one a new code (the tablet that held it is
logged out at its next request), revokes one. Staff only (the routes and pages check it)."""

from __future__ import annotations

import uuid

from accounts.domain.terminals import PairingCode, TerminalsOverview
from accounts.handlers.ports import TerminalsGateway


async def terminals_overview(terminals: TerminalsGateway) -> TerminalsOverview:
    return await terminals.overview()


async def register_terminal(terminals: TerminalsGateway, school_id: str, label: str) -> PairingCode:
    return await terminals.register(school_id, label)


async def new_pairing_code(terminals: TerminalsGateway, terminal_id: uuid.UUID) -> PairingCode:
    return await terminals.rotate(terminal_id)


async def revoke_terminal(terminals: TerminalsGateway, terminal_id: uuid.UUID) -> None:
    await terminals.revoke(terminal_id)
