"""The attendance service's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from attendance import consumers
from attendance.adapters.sql_unit_of_work import SqlAttendanceUnitOfWork
from attendance.api import internal, office, routes
from attendance.config import AttendanceSettings
from attendance.domain.exceptions import (
    AttendanceError,
    CorrectionWindowClosed,
    DayAlreadyClosed,
    DayNotClosed,
    MealAlreadyCancelled,
    NotThisSchool,
    TerminalNotFound,
    TooLate,
    UnknownStudent,
)
from shared.events import MealCancelled, MealConsumed
from shared.service import ServiceParts, make_service_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def make_app(settings: AttendanceSettings | None = None) -> FastAPI:
    settings = settings or AttendanceSettings()
    return make_service_app(
        "attendance",
        settings,
        ServiceParts(
            MIGRATIONS,
            routers=[office.office, routes.terminal, internal.internal],
            rules=consumers.RULES,
            publishes=[MealConsumed, MealCancelled],
            unit_of_work_class=SqlAttendanceUnitOfWork,
            error_status={
                DayAlreadyClosed: 409,
                DayNotClosed: 409,
                TooLate: 409,
                MealAlreadyCancelled: 409,
                CorrectionWindowClosed: 403,
                NotThisSchool: 403,
                UnknownStudent: 404,
                TerminalNotFound: 404,
                AttendanceError: 422,
            },
        ),
    )
