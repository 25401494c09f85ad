"""The HTTP bodies of the attendance API."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Query
from pydantic import BaseModel, Field, field_validator

from attendance.domain.corrections import Kind


class NewTerminal(BaseModel):
    school_id: str = Field(min_length=1, max_length=64)


class TerminalCredential(BaseModel):
    terminal_id: uuid.UUID
    school_id: str
    token: str = Field(description="Shown once: `Authorization: Bearer <token>`")


class Absences(BaseModel):
    absent_student_ids: list[uuid.UUID] = Field(max_length=100)


class DayClose(BaseModel):
    school_id: str
    service_date: date
    meals: int
    already_closed: bool


class ServiceCalendar(BaseModel):
    service_weekdays: set[int] = Field(default={1, 2, 3, 4, 5}, description="ISO weekdays, 1 = Monday")
    cutoff: time = Field(default=time(9, 30), description="Daily cut-off for parents' announcements")
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


class DayClosure(BaseModel):
    """A school's own closure of the day (a strike, a trip), declared from its terminal."""

    class_id: str | None = Field(default=None, min_length=1, max_length=64, description="None: the whole school")
    kind: Literal["holiday", "closure", "strike", "trip"] = "closure"
    reason: str = Field(min_length=3, max_length=250)


class NewClosure(DayClosure):
    service_date: date


class Closure(BaseModel):
    already_declared: bool
    cancelled_meals: int


class NewCorrection(BaseModel):
    student_id: uuid.UUID
    kind: Kind
    reason: str = Field(min_length=3, max_length=250)


class CorrectionApplied(BaseModel):
    effect: str


class AbsenceAnnounced(BaseModel):
    student_id: uuid.UUID
    service_date: date
    school_id: str
    cutoff_at: datetime


class KitchenLine(BaseModel):
    class_id: str
    diet: str
    meals: int


class KitchenCount(BaseModel):
    school_id: str
    service_date: date
    final: bool
    total: int
    lines: list[KitchenLine]


class CityKitchenCount(BaseModel):
    service_date: date
    total: int
    schools: list[KitchenCount]


MonthQuery = Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
