"""Calendario e chiusure, and Cucina, in the office's pages. A school's service weekdays and
cut-off; the municipal holidays of every school; a school's or a class's closures, each with a
preview when the day's meals were already charged ("Questa chiusura annullerà N pasti già
addebitati", then confirm); removing a closure declared by mistake; the kitchen counts of a day,
printable and as CSV. The forms call the handlers the JSON API calls (`api/office_calendar.py`)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date, time
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from accounts.api.dependencies import UowDep
from accounts.handlers import office_actions
from accounts.handlers import school_calendar as calendars
from accounts.web.calendar_month import days_of, month_of, neighbours, school_year_of
from accounts.web.office import StaffPageDep, office_router, page
from accounts.web.session import PageGatewaysDep
from shared import local_time
from shared.http import HttpError
from shared.web.forms import form_values, parse_form

router = office_router()
CALENDAR = ("Calendario e chiusure", "/ufficio/calendario")
SchoolQuery = Annotated[str, Query(max_length=64)]
DONE = {
    "orari": "Giorni di servizio e orario limite salvati.",
    "chiusura": "Chiusura registrata.",
    "festivita": "Festività comunali registrate per tutte le scuole.",
    "rimossa": "Chiusura tolta.",
}


class ServiceDays(BaseModel):
    service_weekdays: list[int] = Field(default_factory=list)
    cutoff: time


class ClosureFields(BaseModel):
    service_date: date
    class_id: str = Field(default="", max_length=64)
    kind: Literal["closure", "strike", "trip", "holiday"]
    reason: str = Field(min_length=3, max_length=250)


class HolidayFields(BaseModel):
    first: date
    last: date
    reason: str = Field(
        min_length=3, max_length=250, validation_alias="holiday_reason"
    )  # a field of its own on the page


@router.get("/calendario")
async def calendar_page(
    request: Request,
    who: StaffPageDep,
    other: PageGatewaysDep,
    scuola: SchoolQuery = "",
    mese: str = "",
    fatto: str = "",
) -> Response:
    return await _calendar(request, who, other, scuola.strip(), month_of(mese), notice=DONE.get(fatto))


@router.post("/calendario/{school_id}/orari")
async def set_service_days(
    request: Request, school_id: str, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    values = form_values(await request.form())
    values["service_weekdays"] = _listed(values.get("service_weekdays"))
    parsed, errors = parse_form(ServiceDays, values)
    if parsed is None:
        return await _calendar(request, who, other, school_id, month_of(""), values, errors, status=422)
    days = {"service_weekdays": parsed.service_weekdays, "cutoff": parsed.cutoff.strftime("%H:%M")}
    work = calendars.set_service_days(uow, other.calendar, who, school_id, days)
    return await _done(request, who, other, school_id, local_time.today(), "orari", work)


@router.post("/calendario/{school_id}/chiusure")
async def declare_closure(
    request: Request, school_id: str, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    values = form_values(await request.form())
    parsed, errors = parse_form(ClosureFields, values)
    if parsed is None:
        return await _calendar(request, who, other, school_id, month_of(""), values, errors, status=422)
    if "conferma" not in values:
        meals = await calendars.closure_preview(other.calendar, who, school_id, parsed.service_date, parsed.class_id)
        if meals:
            action = f"/ufficio/calendario/{school_id}/chiusure"
            return _confirm(request, who, action, values, meals, school_id, (parsed.service_date,) * 2)
    closure = parsed.model_dump(mode="json") | {"class_id": parsed.class_id or None}
    work = office_actions.declare_closure(uow, other.attendance, who, school_id, closure)
    return await _done(request, who, other, school_id, parsed.service_date, "chiusura", work)


@router.post("/calendario/{school_id}/chiusure/{service_date}/rimuovi")
async def remove_closure(
    request: Request, school_id: str, service_date: date, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    class_id = str(form_values(await request.form()).get("class_id", ""))
    work = calendars.remove_closure(uow, other.calendar, who, school_id, service_date, class_id)
    return await _done(request, who, other, school_id, service_date, "rimossa", work)


@router.post("/calendario/festivita")
async def declare_holidays(request: Request, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep) -> Response:
    values = form_values(await request.form())
    school = str(values.get("scuola", ""))
    parsed, errors = parse_form(HolidayFields, values)
    if parsed is None:
        return await _calendar(request, who, other, school, month_of(""), values, errors, status=422)
    if "conferma" not in values:
        meals = await calendars.holidays_preview(other.calendar, who, parsed.first, parsed.last)
        if meals:
            period = (parsed.first, parsed.last)
            return _confirm(request, who, "/ufficio/calendario/festivita", values, meals, school, period)
    work = calendars.declare_holidays(uow, other.calendar, who, parsed.model_dump(mode="json"))
    return await _done(request, who, other, school, parsed.first, "festivita", work)


@router.post("/calendario/festivita/{service_date}/rimuovi")
async def remove_holiday(
    request: Request, service_date: date, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    school = str(form_values(await request.form()).get("scuola", ""))
    work = calendars.remove_holiday(uow, other.calendar, who, service_date)
    return await _done(request, who, other, school, service_date, "rimossa", work)


async def _done(
    request: Request,
    who: StaffPageDep,
    other: PageGatewaysDep,
    school: str,
    month: date,
    done: str,
    work: Awaitable[Any],
) -> Response:
    """Back to the school's month once the change is made; attendance's refusal (a closure that
    can no longer be removed) on the same page, with its message and status."""
    try:
        await work
    except HttpError as refused:
        if refused.status >= 500:
            raise
        return await _calendar(request, who, other, school, month, refused=refused.message, status=refused.status)
    query = {"scuola": school, "mese": f"{month:%Y-%m}", "fatto": done}
    return RedirectResponse(f"/ufficio/calendario?{urlencode(query)}", status_code=303)


def _confirm(
    request: Request,
    who: StaffPageDep,
    action: str,
    values: dict[str, Any],
    meals: int,
    school: str,
    period: tuple[date, date],
) -> Response:
    """The preview of a closure of days already charged: the meals it will cancel, then confirm."""
    context = {"action": action, "values": values, "meals": meals, "school": school, "period": period}
    return page(request, "ufficio/calendario_conferma.html", who, "calendario", [CALENDAR, ("Conferma", "")], context)


async def _calendar(
    request: Request,
    who: StaffPageDep,
    other: PageGatewaysDep,
    school: str,
    month: date,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    refused: str | None = None,
    status: int = 200,
) -> Response:
    first, last = school_year_of(month)
    shown = await calendars.month_of(other.calendar, who, school, month) if school else None
    context = {
        "school": school,
        "schools": (await other.terminals.overview()).schools,
        "month": month,
        "neighbours": neighbours(month),
        "days": days_of(month, shown) if shown else [],
        "shown": shown,
        "holidays": [
            h | {"day": date.fromisoformat(h["service_date"])}
            for h in await calendars.holidays_of(other.calendar, who, first, last)
        ],
        "values": values or {},
        "errors": errors or {},
        "notice": notice,
        "refused": refused,
    }
    return page(request, "ufficio/calendario.html", who, "calendario", [CALENDAR], context, status)


def _listed(sent: object) -> list[object]:
    """A group of checkboxes: none, one or many values."""
    if sent is None:
        return []
    return list(sent) if isinstance(sent, list) else [sent]
