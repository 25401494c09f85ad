"""Office actions another service carries out (attendance's closures and terminals), forwarded
for the person who does them (`shared.acting`: attendance records them) and then entered in
the audit log here, once the other service answered."""

from __future__ import annotations

from accounts.domain.audit import Action, entry
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork, AttendanceGateway, JsonObject


async def declare_closure(
    uow: AccountsUnitOfWork, attendance: AttendanceGateway, who: Principal, school_id: str, closure: JsonObject
) -> JsonObject:
    require(who, Permission.OFFICE)
    declared = await attendance.declare_closure(school_id, closure)
    async with uow:
        await uow.audit.record(
            entry(who, Action.CLOSURE_DECLARED, school_id, after=closure, reason=closure.get("reason"))
        )
        await uow.commit()
    return declared
