"""The office keeps the schools' calendars, which attendance owns: a school's service weekdays and
cut-off, the municipal holidays of every school (a day or a period), the removal of a closure
declared by mistake, and before a closure the count of meals already charged it would cancel.

Forwarded for the person who acts (`shared.acting`: attendance records them), then entered in
the audit log here once attendance answered. A refusal of attendance (a removal once the day is
closed: 409 `chiusura_non_rimovibile`) changes nothing and is not logged. Staff only."""

from __future__ import annotations

from datetime import date

from accounts.domain.audit import Action, Change, entry
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork, CalendarGateway, JsonObject
from shared import local_time

WHOLE_SCHOOL = ""  # attendance's class of a whole school's closure
HOLIDAYS = "comune"  # the audit log's subject of the municipal calendar


async def month_of(calendar: CalendarGateway, who: Principal, school_id: str, month: date) -> JsonObject:
    require(who, Permission.OFFICE)
    return await calendar.month(school_id, month)


async def set_service_days(
    uow: AccountsUnitOfWork, calendar: CalendarGateway, who: Principal, school_id: str, days: JsonObject
) -> None:
    require(who, Permission.OFFICE)
    before = await calendar.month(school_id, local_time.today())
    await calendar.set_calendar(school_id, days)
    was = {key: before[key] for key in ("service_weekdays", "cutoff", "timezone")}
    await _audit(uow, who, Action.CALENDAR_SET, school_id, before=was, after=days)


async def closure_preview(
    calendar: CalendarGateway, who: Principal, school_id: str, day: date, class_id: str = WHOLE_SCHOOL
) -> int:
    require(who, Permission.OFFICE)
    return await calendar.closure_preview(school_id, day, class_id)


async def remove_closure(
    uow: AccountsUnitOfWork, calendar: CalendarGateway, who: Principal, school_id: str, day: date, class_id: str
) -> JsonObject:
    require(who, Permission.OFFICE)
    removed = await calendar.remove_closure(school_id, day, class_id)
    await _audit(uow, who, Action.CLOSURE_REMOVED, school_id, before=removed | {"school_id": school_id})
    return removed


async def holidays_of(calendar: CalendarGateway, who: Principal, first: date, last: date) -> list[JsonObject]:
    require(who, Permission.OFFICE)
    return await calendar.holidays(first, last)


async def holidays_preview(calendar: CalendarGateway, who: Principal, first: date, last: date) -> int:
    require(who, Permission.OFFICE)
    return await calendar.holidays_preview(first, last)


async def declare_holidays(
    uow: AccountsUnitOfWork, calendar: CalendarGateway, who: Principal, holidays: JsonObject
) -> JsonObject:
    require(who, Permission.OFFICE)
    declared = await calendar.declare_holidays(holidays)
    await _audit(uow, who, Action.HOLIDAYS_DECLARED, HOLIDAYS, after=holidays | declared)
    return declared


async def remove_holiday(uow: AccountsUnitOfWork, calendar: CalendarGateway, who: Principal, day: date) -> JsonObject:
    require(who, Permission.OFFICE)
    removed = await calendar.remove_holiday(day)
    await _audit(uow, who, Action.HOLIDAY_REMOVED, HOLIDAYS, before=removed)
    return removed


async def _audit(
    uow: AccountsUnitOfWork, who: Principal, action: Action, subject: str, before: Change = None, after: Change = None
) -> None:
    async with uow:
        reason = (before or after or {}).get("reason")
        await uow.audit.record(entry(who, action, subject, before=before, after=after, reason=reason))
        await uow.commit()
