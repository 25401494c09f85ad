"""The attendance service's composition root."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI

from attendance.api import routes
from attendance.config import AttendanceSettings
from attendance.domain.exceptions import AttendanceError, DayAlreadyClosed
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
        routers=[routes.office, routes.terminal],
        wire=wire,
        error_status={DayAlreadyClosed: 409, AttendanceError: 422},
    )
