"""How many meals the kitchen cooks for a school (or the whole city) and day, per class and diet.

Before the close a forecast (enrolled and active in the classes with service, minus the recorded
and announced absences); after it the final count (the meals charged and not cancelled).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters import days
from attendance.adapters.tables import meal, roster
from attendance.domain.calendar import school_year
from attendance.domain.meals import present


@dataclass(frozen=True)
class KitchenLine:
    class_id: str
    diet: str
    meals: int


@dataclass(frozen=True)
class KitchenCount:
    school_id: str
    service_date: date
    final: bool
    lines: list[KitchenLine]

    @property
    def total(self) -> int:
        return sum(line.meals for line in self.lines)


async def kitchen_count(conn: AsyncConnection, school_id: str, service_date: date) -> KitchenCount:
    if await days.closed_at(conn, school_id, service_date) is not None:
        return KitchenCount(school_id, service_date, True, await _final(conn, school_id, service_date))
    return KitchenCount(school_id, service_date, False, await _forecast(conn, school_id, service_date))


async def _final(conn: AsyncConnection, school_id: str, service_date: date) -> list[KitchenLine]:
    rows = await conn.execute(
        select(meal.c.class_id, meal.c.diet, func.count())
        .where(meal.c.school_id == school_id, meal.c.service_date == service_date, meal.c.cancelled_at.is_(None))
        .group_by(meal.c.class_id, meal.c.diet)
        .order_by(meal.c.class_id, meal.c.diet)
    )
    return [KitchenLine(*row) for row in rows]


async def _forecast(conn: AsyncConnection, school_id: str, service_date: date) -> list[KitchenLine]:
    service = await days.day_service(conn, school_id, service_date)
    roster = [e for e in await days.enrolled(conn, school_id, service_date) if service.serves(e.class_id)]
    counts = Counter((e.class_id, e.diet) for e in present(roster, await days.absent(conn, school_id, service_date)))
    return [KitchenLine(class_id, diet, n) for (class_id, diet), n in sorted(counts.items())]


async def city_kitchen_counts(conn: AsyncConnection, service_date: date) -> list[KitchenCount]:
    """Every school with children enrolled for the day's school year, or with meals that day."""
    enrolled = select(roster.c.school_id).where(roster.c.school_year == school_year(service_date), roster.c.active)
    served = select(meal.c.school_id).where(meal.c.service_date == service_date)
    schools = (await conn.execute(union(enrolled, served).order_by("school_id"))).scalars()
    return [await kitchen_count(conn, school_id, service_date) for school_id in list(schools)]


def as_csv(*counts: KitchenCount) -> str:
    lines = ["scuola;data;classe;dieta;pasti;definitivo"]
    for count in counts:
        final = "sì" if count.final else "no"
        lines += [
            f"{count.school_id};{count.service_date.isoformat()};{line.class_id};{line.diet};{line.meals};{final}"
            for line in count.lines
        ]
    return "\r\n".join(lines) + "\r\n"
