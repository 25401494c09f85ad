"""The attendance service's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from attendance import consumers, web
from attendance.adapters.sql_unit_of_work import SqlAttendanceUnitOfWork
from attendance.api import internal, office, routes, terminals
from attendance.config import AttendanceSettings
from attendance.domain.exceptions import (
    AnnouncedAbsence,
    AttendanceError,
    ClosureNotFound,
    ClosureOfClosedDay,
    CorrectionWindowClosed,
    DayAlreadyClosed,
    DayNotClosed,
    MealAlreadyCancelled,
    NotThisSchool,
    NotToday,
    PairingCodeInvalid,
    TerminalNotFound,
    TooLate,
    UnknownStudent,
    UnrecordedClasses,
)
from shared.errors import RefettorioError
from shared.events import MealCancelled, MealConsumed
from shared.service import ServiceParts, make_service_app
from shared.web import LoginRequired

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
ERROR_STATUS: dict[type[RefettorioError], int] = {
    DayAlreadyClosed: 409,
    DayNotClosed: 409,
    TooLate: 409,
    MealAlreadyCancelled: 409,
    UnrecordedClasses: 409,
    AnnouncedAbsence: 409,
    CorrectionWindowClosed: 403,
    NotThisSchool: 403,
    NotToday: 403,
    UnknownStudent: 404,
    ClosureNotFound: 404,
    ClosureOfClosedDay: 409,
    TerminalNotFound: 404,
    PairingCodeInvalid: 400,
    LoginRequired: 401,  # the screen's script, once its terminal was revoked
    AttendanceError: 422,
}


def make_app(settings: AttendanceSettings | None = None) -> FastAPI:
    settings = settings or AttendanceSettings()
    app = make_service_app(
        "attendance",
        settings,
        ServiceParts(
            MIGRATIONS,
            routers=[terminals.router, office.office, office.calendars, routes.terminal, internal.internal],
            rules=consumers.RULES,
            publishes=[MealConsumed, MealCancelled],
            unit_of_work_class=SqlAttendanceUnitOfWork,
            error_status=ERROR_STATUS,
        ),
    )
    web.install(app, settings, ERROR_STATUS)
    return app
