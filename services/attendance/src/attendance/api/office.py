"""The school office, through the accounts gateway: calendars, closures, absences and the close
of a day gone by (with a reason), corrections and the kitchen counts. Terminals are
`api/terminals.py`.

Every route needs the service credential *and* the member of staff the gateway acts for
(`shared.acting`): the service token alone opens nothing here. What they change records them
(`Person.author`) where a terminal would be recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Response, status

from attendance.api.dependencies import UowDep
from attendance.api.kitchen import CSV, AcceptHeader, FormatQuery, city_response, school_response
from attendance.api.schemas import (
    Absences,
    CityKitchenCount,
    ClassId,
    ClassQuery,
    Closure,
    ClosureOfMonth,
    CorrectionApplied,
    DayClose,
    HolidaysDeclared,
    KitchenCount,
    MealsToCancel,
    MonthCalendar,
    MonthQuery,
    NewClosure,
    NewCorrection,
    NewHolidays,
    OfficeClose,
    SchoolId,
    ServiceCalendar,
    ServiceDate,
)
from attendance.domain import calendar
from attendance.domain.absences import AbsencePost
from attendance.handlers import month_calendar
from attendance.handlers.close_day import CloseDay, close_day
from attendance.handlers.closure_preview import meals_to_cancel
from attendance.handlers.correct_attendance import Correction, correct_attendance
from attendance.handlers.declare_closure import declare_closure
from attendance.handlers.declare_holidays import Holidays, declare_holidays
from attendance.handlers.kitchen_counts import city_kitchen_counts, kitchen_count
from attendance.handlers.record_absences import record_absences
from attendance.handlers.remove_closure import remove_closure
from attendance.handlers.set_calendar import set_calendar
from shared.dependencies import StaffPersonDep, named_person, require_service, staff_person
from shared.edge import PlausibleDate

DateQuery = Annotated[PlausibleDate, Query()]
office = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(require_service), Depends(staff_person)])


@office.put("/schools/{school_id}/calendar", status_code=status.HTTP_204_NO_CONTENT)
async def put_calendar(school_id: SchoolId, body: ServiceCalendar, uow: UowDep, who: StaffPersonDep) -> None:
    await set_calendar(uow, school_id, body.to_calendar(), who.author)


# The calendar is read for parents too (the Scrivania shows the closures ahead): any person the
# gateway names, not only staff; writing it stays the office's.
calendars = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(require_service), Depends(named_person)])


@calendars.get("/schools/{school_id}/calendar")
async def get_calendar(school_id: SchoolId, month: MonthQuery, uow: UowDep) -> MonthCalendar:
    """The school's service weekdays and cut-off, and the month's closures."""
    return MonthCalendar.model_validate(
        await month_calendar.month_calendar(uow, school_id, date.fromisoformat(f"{month}-01"))
    )


@office.post("/schools/{school_id}/closures")
async def post_closure(school_id: SchoolId, body: NewClosure, uow: UowDep, who: StaffPersonDep) -> Closure:
    closure = calendar.Closure(
        school_id, body.service_date, body.class_id or calendar.WHOLE_SCHOOL, body.kind, body.reason, who.author
    )
    return Closure.model_validate(await declare_closure(uow, closure))


@office.get("/schools/{school_id}/closures/preview")
async def closure_preview(
    school_id: SchoolId, service_date: DateQuery, uow: UowDep, class_id: ClassQuery = ""
) -> MealsToCancel:
    """How many meals already charged the closure would cancel, before the office confirms it."""
    return MealsToCancel(meals=await meals_to_cancel(uow, school_id, service_date, service_date, class_id))


@office.delete("/schools/{school_id}/closures/{service_date}")
async def delete_closure(
    school_id: SchoolId, service_date: ServiceDate, uow: UowDep, class_id: ClassQuery = ""
) -> ClosureOfMonth:
    """A closure declared by mistake, while the day is not closed (409 `chiusura_non_rimovibile` after)."""
    return ClosureOfMonth.model_validate(await remove_closure(uow, school_id, service_date, class_id))


@office.post("/holidays")
async def post_holidays(body: NewHolidays, uow: UowDep, who: StaffPersonDep) -> HolidaysDeclared:
    """The municipal calendar: every school closed on every day from `first` to `last`."""
    holidays = Holidays(body.first, body.last, body.reason, who.author)
    return HolidaysDeclared.model_validate(await declare_holidays(uow, holidays))


@office.get("/holidays")
async def get_holidays(first: DateQuery, last: DateQuery, uow: UowDep) -> list[ClosureOfMonth]:
    found = await month_calendar.closures_between(uow, calendar.EVERY_SCHOOL, first, last)
    return [ClosureOfMonth.model_validate(c) for c in found]


@office.get("/holidays/preview")
async def holidays_preview(first: DateQuery, last: DateQuery, uow: UowDep) -> MealsToCancel:
    return MealsToCancel(meals=await meals_to_cancel(uow, calendar.EVERY_SCHOOL, first, last, calendar.WHOLE_SCHOOL))


@office.delete("/holidays/{service_date}")
async def delete_holiday(service_date: ServiceDate, uow: UowDep) -> ClosureOfMonth:
    removed = await remove_closure(uow, calendar.EVERY_SCHOOL, service_date, calendar.WHOLE_SCHOOL)
    return ClosureOfMonth.model_validate(removed)


@office.put(
    "/schools/{school_id}/days/{service_date}/classes/{class_id}/absences", status_code=status.HTTP_204_NO_CONTENT
)
async def office_absences(
    school_id: SchoolId, service_date: ServiceDate, class_id: ClassId, body: Absences, uow: UowDep, who: StaffPersonDep
) -> None:
    """A class's absences on any day not closed yet (a terminal posts only its school's today)."""
    post = AbsencePost(school_id, class_id, service_date, frozenset(body.absent_student_ids), who.author)
    await record_absences(uow, post)


@office.post("/schools/{school_id}/days/{service_date}/close")
async def office_close(
    school_id: SchoolId,
    service_date: ServiceDate,
    uow: UowDep,
    who: StaffPersonDep,
    body: Annotated[OfficeClose | None, Body()] = None,
) -> DayClose:
    """The close at the cut-off, when the school's terminal did not confirm the day; a day already
    gone only with a `reason` (422 `motivo_richiesto`)."""
    close = CloseDay(school_id, service_date, who.author, datetime.now(UTC), reason=body.reason if body else None)
    return DayClose.model_validate(await close_day(uow, close))


@office.post("/schools/{school_id}/days/{service_date}/corrections")
async def office_correction(
    school_id: SchoolId, service_date: ServiceDate, body: NewCorrection, uow: UowDep, who: StaffPersonDep
) -> CorrectionApplied:
    fix = Correction(school_id, body.student_id, service_date, body.kind, body.reason, who.author, datetime.now(UTC))
    return CorrectionApplied(effect=(await correct_attendance(uow, fix)).value)


@office.get("/schools/{school_id}/days/{service_date}/kitchen", response_model=KitchenCount, responses=CSV)
async def office_kitchen(
    school_id: SchoolId, service_date: ServiceDate, uow: UowDep, format: FormatQuery = None, accept: AcceptHeader = None
) -> Response:
    return school_response(await kitchen_count(uow, school_id, service_date), format, accept)


@office.get("/days/{service_date}/kitchen", response_model=CityKitchenCount, responses=CSV)
async def city_kitchen(
    service_date: ServiceDate, uow: UowDep, format: FormatQuery = None, accept: AcceptHeader = None
) -> Response:
    """Every school's count for the day: final where the day is closed, a forecast elsewhere."""
    return city_response(await city_kitchen_counts(uow, service_date), service_date, format, accept)
