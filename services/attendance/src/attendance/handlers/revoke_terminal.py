"""The office revokes a terminal: its credential stops working. Revoking twice keeps the first time."""

from __future__ import annotations

import uuid

from attendance.domain.exceptions import TerminalNotFound
from attendance.handlers.ports import AttendanceUnitOfWork


async def revoke_terminal(uow: AttendanceUnitOfWork, terminal_id: uuid.UUID) -> None:
    async with uow:
        if not await uow.terminals.revoke(terminal_id):
            raise TerminalNotFound()
        await uow.commit()
