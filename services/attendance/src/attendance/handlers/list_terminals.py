"""The office's list of terminals, and the schools it may register one for. Read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from attendance.domain.terminals import TerminalRecord
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class TerminalsOverview:
    terminals: list[TerminalRecord]
    schools: list[str]  # with children enrolled this school year, or a terminal already


async def list_terminals(uow: AttendanceUnitOfWork, today: date) -> TerminalsOverview:
    async with uow:
        terminals = await uow.terminals.listed()
        enrolled = await uow.roster.schools(SchoolYear.of(today))
    return TerminalsOverview(terminals, sorted(enrolled | {t.terminal.school_id for t in terminals}))
