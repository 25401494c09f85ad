"""The attendance service's composition root."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI

from attendance.api import internal, office, routes
from attendance.config import AttendanceSettings
from attendance.domain.exceptions import (
    AttendanceError,
    CorrectionWindowClosed,
    DayAlreadyClosed,
    DayNotClosed,
    MealAlreadyCancelled,
    TerminalNotFound,
    TooLate,
    UnknownStudent,
)
from attendance.handlers.project_roster import project_roster
from shared.events import MealCancelled, MealConsumed, StudentEnrolled
from shared.service import Infrastructure, make_service_app
from shared.topics import Topic

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def make_app(settings: AttendanceSettings | None = None) -> FastAPI:
    settings = settings or AttendanceSettings()

    def wire(infra: Infrastructure) -> None:
        infra.subscribe(
            Topic.STUDENT_ENROLLED,
            "project-roster",
            StudentEnrolled,
            partial(project_roster, unit_of_work=infra.unit_of_work),
        )
        for event in (MealConsumed, MealCancelled):
            infra.document_publication(event)

    return make_service_app(
        "attendance",
        settings,
        MIGRATIONS,
        routers=[office.office, routes.terminal, internal.internal],
        wire=wire,
        error_status={
            DayAlreadyClosed: 409,
            DayNotClosed: 409,
            TooLate: 409,
            MealAlreadyCancelled: 409,
            CorrectionWindowClosed: 403,
            UnknownStudent: 404,
            TerminalNotFound: 404,
            AttendanceError: 422,
        },
    )
