"""The office manages the schools' canteen tablets, which attendance keeps: sees them, registers
one for a school (a pairing code shown once), gives one a new code (the tablet that held it is
logged out at its next request), revokes one. A tablet is registered only for a school attendance
knows (children enrolled this school year, or a terminal already). Staff only; every change is in the audit log (the
code and the credential never are)."""

from __future__ import annotations

import uuid

from accounts.domain.audit import Action, entry
from accounts.domain.exceptions import UnknownSchool
from accounts.domain.terminals import PairingCode, TerminalsOverview
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork, TerminalsGateway


async def terminals_overview(terminals: TerminalsGateway) -> TerminalsOverview:
    return await terminals.overview()


async def register_terminal(
    uow: AccountsUnitOfWork, terminals: TerminalsGateway, who: Principal, school_id: str, label: str
) -> PairingCode:
    require(who, Permission.OFFICE)
    if school_id not in (await terminals.overview()).schools:
        raise UnknownSchool(school_id)  # a typo would pair a tablet with a school that has no one to serve
    issued = await terminals.register(school_id, label)
    await _audit(uow, who, issued.terminal_id, "register", issued.school_id)
    return issued


async def new_pairing_code(
    uow: AccountsUnitOfWork, terminals: TerminalsGateway, who: Principal, terminal_id: uuid.UUID
) -> PairingCode:
    require(who, Permission.OFFICE)
    issued = await terminals.rotate(terminal_id)
    await _audit(uow, who, terminal_id, "rotate", issued.school_id)
    return issued


async def revoke_terminal(
    uow: AccountsUnitOfWork, terminals: TerminalsGateway, who: Principal, terminal_id: uuid.UUID
) -> None:
    require(who, Permission.OFFICE)
    await terminals.revoke(terminal_id)
    await _audit(uow, who, terminal_id, "revoke", None)


async def _audit(
    uow: AccountsUnitOfWork, who: Principal, terminal_id: uuid.UUID, action: str, school: str | None
) -> None:
    async with uow:
        await uow.audit.record(
            entry(who, Action.TERMINAL_CHANGED, terminal_id, after={"azione": action, "scuola": school})
        )
        await uow.commit()
