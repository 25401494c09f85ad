"""The HTTP bodies of the attendance API."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

from attendance.domain.calendar import Calendar
from attendance.domain.corrections import Kind
from shared.edge import Month, PlausibleDate


def _naive(moment: time) -> time:
    if moment.tzinfo is not None:
        raise ValueError("a time of day in the school's own time zone, without an offset (e.g. 09:30)")
    return moment


# A time of day on the school's clock: JSON Schema's `time` format would demand an offset.
LocalTime = Annotated[
    time,
    AfterValidator(_naive),
    WithJsonSchema({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"}),
]


class Answer(BaseModel):
    """A response body, read from what a handler returned."""

    model_config = ConfigDict(from_attributes=True)


class NewTerminal(BaseModel):
    school_id: str = Field(min_length=1, max_length=64)
    label: str = Field(default="", max_length=100, description="How the office tells a school's tablets apart")


class TerminalCredential(BaseModel):
    terminal_id: uuid.UUID
    school_id: str
    label: str
    token: str = Field(description="Shown once: `Authorization: Bearer <token>` (stops working once a tablet pairs)")
    pairing_code: str | None = Field(description="Shown once: typed on the tablet at `pairing_url`, within minutes")
    pairing_expires_at: datetime | None
    pairing_url: str


class ListedTerminal(BaseModel):
    terminal_id: uuid.UUID
    school_id: str
    label: str
    created_at: datetime
    paired_at: datetime | None
    revoked_at: datetime | None
    pairing_expires_at: datetime | None = Field(description="A pairing code not used yet (it may have expired)")


class TerminalsList(BaseModel):
    terminals: list[ListedTerminal]
    schools: list[str] = Field(description="Schools with children enrolled this school year, or a terminal")


class OfficeClose(BaseModel):
    reason: str | None = Field(
        default=None, min_length=3, max_length=300, description="Required to close a day already gone"
    )


class Absences(BaseModel):
    absent_student_ids: list[uuid.UUID] = Field(max_length=100)


class DayClose(Answer):
    school_id: str
    service_date: date
    meals: int
    already_closed: bool


class ServiceCalendar(BaseModel):
    service_weekdays: set[int] = Field(default={1, 2, 3, 4, 5}, description="ISO weekdays, 1 = Monday")
    cutoff: LocalTime = Field(default=time(9, 30), description="Daily cut-off for parents' announcements")
    timezone: str = "Europe/Rome"

    @field_validator("service_weekdays")
    @classmethod
    def _weekdays(cls, days: set[int]) -> set[int]:
        if not days <= set(range(1, 8)):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday)")
        return days

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ValueError, ZoneInfoNotFoundError):
            raise ValueError("unknown time zone") from None
        return name

    def to_calendar(self) -> Calendar:
        return Calendar(frozenset(self.service_weekdays), self.cutoff, self.timezone)


class DayClosure(BaseModel):
    """A school's own closure of the day (a strike, a trip), declared from its terminal."""

    class_id: str | None = Field(default=None, min_length=1, max_length=64, description="None: the whole school")
    kind: Literal["holiday", "closure", "strike", "trip"] = "closure"
    reason: str = Field(min_length=3, max_length=250)


class NewClosure(DayClosure):
    service_date: PlausibleDate


class Closure(Answer):
    already_declared: bool
    cancelled_meals: int


class NewHolidays(BaseModel):
    """Days of the municipal calendar, closed for every school: one day (`first` = `last`) or a period."""

    first: PlausibleDate
    last: PlausibleDate
    reason: str = Field(min_length=3, max_length=250, examples=["Vacanze di Natale"])


class HolidaysDeclared(Answer):
    days: int = Field(description="Days declared now (those declared already are not counted)")
    cancelled_meals: int


class MealsToCancel(BaseModel):
    meals: int = Field(description="Meals charged and not cancelled that the closure would cancel")


class NewCorrection(BaseModel):
    student_id: uuid.UUID
    kind: Kind
    reason: str = Field(min_length=3, max_length=250)


class CorrectionApplied(Answer):
    effect: str


class AbsenceAnnounced(Answer):
    student_id: uuid.UUID
    service_date: date
    school_id: str
    cutoff_at: datetime


class AbsenceWithdrawn(AbsenceAnnounced):
    withdrawn: bool = Field(description="False: there was no announcement to withdraw")


class KitchenLine(Answer):
    class_id: str
    diet: str
    meals: int


class KitchenCount(Answer):
    school_id: str
    service_date: date
    final: bool
    total: int
    lines: list[KitchenLine]


class CityKitchenCount(Answer):
    service_date: date
    total: int
    schools: list[KitchenCount]


class ClosureOfMonth(Answer):
    service_date: date
    class_id: str = Field(description='"" for the whole school')
    kind: str
    reason: str
    declared_at: datetime
    municipal: bool = Field(description="Of the municipal calendar: every school is closed")


class MonthCalendar(Answer):
    school_id: str
    service_weekdays: list[int]
    cutoff: LocalTime
    timezone: str
    closures: list[ClosureOfMonth]


class CorrectionOfDay(Answer):
    kind: str
    reason: str
    effect: str
    corrected_by: str
    corrected_at: datetime


class AttendanceDay(Answer):
    """Keys without a value are left out (`announced_by_parent`, where and why a meal was cancelled)."""

    service_date: date
    status: Literal["presente", "assente", "pasto_annullato"]
    corrections: list[CorrectionOfDay]
    announced_by_parent: bool | None = None
    school_id: str | None = None
    class_id: str | None = None
    cancel_reason: str | None = None


class AttendanceMonth(BaseModel):
    student_id: uuid.UUID
    month: str
    days: list[AttendanceDay]


# As long as the columns that keep them: a longer one is refused with a 422, not a database error.
# `*` names the municipal calendar (`calendar.EVERY_SCHOOL`), never a school: its own routes.
SchoolId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^*]+$")]
ClassId = Annotated[str, Path(min_length=1, max_length=64)]
ClassQuery = Annotated[str, Query(max_length=64, description='"" (or none): the whole school')]
MonthQuery = Annotated[Month, Query()]
# A day of service in a path: within plausible school years, so that no date arithmetic overflows.
ServiceDate = PlausibleDate
