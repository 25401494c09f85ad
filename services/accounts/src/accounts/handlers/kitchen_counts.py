"""The kitchen counts of a day, per school, class and diet, as attendance computes them: the final
count where the school closed the day, a forecast before. Staff only; read-only."""

from __future__ import annotations

from datetime import date

from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import CalendarGateway, JsonObject


async def kitchen_of(calendar: CalendarGateway, who: Principal, day: date, school_id: str | None = None) -> JsonObject:
    """Every school's count, or only `school_id`'s (the total is then that school's)."""
    require(who, Permission.OFFICE)
    counts = await calendar.kitchen(day)
    if school_id:
        schools = [s for s in counts["schools"] if s["school_id"] == school_id]
        counts = counts | {"schools": schools, "total": sum(s["total"] for s in schools)}
    return counts


async def kitchen_csv(calendar: CalendarGateway, who: Principal, day: date, school_id: str | None = None) -> bytes:
    require(who, Permission.OFFICE)
    return await calendar.kitchen_csv(day, school_id)
