"""The schools' calendars and the kitchen counts as JSON, for automation (staff only): attendance
keeps them, the gateway forwards for the person and logs what changed. The pages Calendario
and Cucina call the same handlers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel

from accounts.api.dependencies import GatewaysDep, StaffDep, UowDep, staff
from accounts.api.schemas import Forwarded
from accounts.handlers import kitchen_counts as kitchen
from accounts.handlers import school_calendar as calendars
from shared.edge import CSV_ANSWER, Month, PlausibleDate, attachment

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])
SchoolId = Annotated[str, Path(min_length=1, max_length=64)]
ClassQuery = Annotated[str, Query(max_length=64, description='"" (or none): the whole school')]
DateQuery = Annotated[PlausibleDate, Query()]


class MealsToCancel(BaseModel):
    meals: int


@router.get("/schools/{school_id}/calendar")
async def month_calendar(
    school_id: SchoolId, month: Annotated[Month, Query()], who: StaffDep, other: GatewaysDep
) -> Forwarded:
    """Service weekdays, cut-off and the month's closures, the municipal ones too (`municipal`)."""
    first = date.fromisoformat(f"{month}-01")
    return Forwarded(**await calendars.month_of(other.calendar, who, school_id, first))


@router.put("/schools/{school_id}/calendar", status_code=status.HTTP_204_NO_CONTENT)
async def set_calendar(school_id: SchoolId, body: Forwarded, who: StaffDep, uow: UowDep, other: GatewaysDep) -> None:
    """`service_weekdays` (ISO, 1 = Monday), `cutoff` (`09:30`), `timezone`: attendance checks them."""
    await calendars.set_service_days(uow, other.calendar, who, school_id, body.model_dump())


@router.get("/schools/{school_id}/closures/preview")
async def closure_preview(
    school_id: SchoolId, service_date: DateQuery, who: StaffDep, other: GatewaysDep, class_id: ClassQuery = ""
) -> MealsToCancel:
    """How many meals already charged a closure of the day would cancel."""
    return MealsToCancel(meals=await calendars.closure_preview(other.calendar, who, school_id, service_date, class_id))


@router.delete("/schools/{school_id}/closures/{service_date}")
async def remove_closure(
    school_id: SchoolId,
    service_date: PlausibleDate,
    who: StaffDep,
    uow: UowDep,
    other: GatewaysDep,
    class_id: ClassQuery = "",
) -> Forwarded:
    """A closure declared by mistake, while the day is not closed (then 409 `chiusura_non_rimovibile`)."""
    removed = await calendars.remove_closure(uow, other.calendar, who, school_id, service_date, class_id)
    return Forwarded(**removed)


@router.post("/holidays")
async def declare_holidays(body: Forwarded, who: StaffDep, uow: UowDep, other: GatewaysDep) -> Forwarded:
    """The municipal calendar: `first`, `last`, `reason`; every school closed on those days."""
    return Forwarded(**await calendars.declare_holidays(uow, other.calendar, who, body.model_dump()))


@router.get("/holidays")
async def holidays(first: DateQuery, last: DateQuery, who: StaffDep, other: GatewaysDep) -> list[Forwarded]:
    return [Forwarded(**h) for h in await calendars.holidays_of(other.calendar, who, first, last)]


@router.get("/holidays/preview")
async def holidays_preview(first: DateQuery, last: DateQuery, who: StaffDep, other: GatewaysDep) -> MealsToCancel:
    return MealsToCancel(meals=await calendars.holidays_preview(other.calendar, who, first, last))


@router.delete("/holidays/{service_date}")
async def remove_holiday(service_date: PlausibleDate, who: StaffDep, uow: UowDep, other: GatewaysDep) -> Forwarded:
    return Forwarded(**await calendars.remove_holiday(uow, other.calendar, who, service_date))


@router.get("/days/{service_date}/kitchen", responses=CSV_ANSWER)
async def kitchen_counts(
    service_date: PlausibleDate,
    who: StaffDep,
    other: GatewaysDep,
    school_id: Annotated[str | None, Query(max_length=64)] = None,
    format: Annotated[str | None, Query(alias="format", pattern="^(json|csv)$")] = None,
) -> Response:
    """Per school, class and diet: final where the school closed the day, else a forecast; `format=csv`."""
    if format == "csv":
        body = await kitchen.kitchen_csv(other.calendar, who, service_date, school_id)
        name = f"pasti-{school_id or 'comune'}-{service_date}.csv"
        return Response(body, media_type="text/csv; charset=utf-8", headers=attachment(name))
    counts = await kitchen.kitchen_of(other.calendar, who, service_date, school_id)
    return Response(Forwarded(**counts).model_dump_json(), media_type="application/json")
