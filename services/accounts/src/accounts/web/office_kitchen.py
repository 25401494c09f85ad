"""Cucina, in the office's pages: the kitchen counts of a day per school, class and diet (the final
count where the school closed the day, a forecast before), a day picker and a school filter,
printable (a print stylesheet) and as CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, Request, Response

from accounts.handlers import kitchen_counts as kitchen
from accounts.web.office import StaffPageDep, office_router, page
from accounts.web.session import PageGatewaysDep
from shared import local_time
from shared.edge import PlausibleDate, attachment

router = office_router()
KITCHEN = ("Cucina", "/ufficio/cucina")
DayQuery = Annotated[PlausibleDate | None, Query()]
SchoolQuery = Annotated[str, Query(max_length=64)]


@router.get("/cucina")
async def kitchen_page(
    request: Request, who: StaffPageDep, other: PageGatewaysDep, giorno: DayQuery = None, scuola: SchoolQuery = ""
) -> Response:
    day = giorno or local_time.today()
    every = await kitchen.kitchen_of(other.calendar, who, day)
    shown = [s for s in every["schools"] if not scuola or s["school_id"] == scuola]
    context = {
        "day": day,
        "school": scuola,
        "school_options": [(s["school_id"], s["school_id"]) for s in every["schools"]],
        "counts": shown,
        "total": sum(s["total"] for s in shown),
        "csv": f"/ufficio/cucina.csv?giorno={day}" + (f"&scuola={scuola}" if scuola else ""),
    }
    return page(request, "ufficio/cucina.html", who, "cucina", [KITCHEN], context)


@router.get("/cucina.csv")
async def kitchen_csv(
    who: StaffPageDep, other: PageGatewaysDep, giorno: DayQuery = None, scuola: SchoolQuery = ""
) -> Response:
    day: date = giorno or local_time.today()
    body = await kitchen.kitchen_csv(other.calendar, who, day, scuola or None)
    name = f"pasti-{scuola or 'comune'}-{day}.csv"
    return Response(body, media_type="text/csv; charset=utf-8", headers=attachment(name))
