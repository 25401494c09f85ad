"""Attendance fuzzed as the gateway calls it (service credential) and as a school's terminal."""

from __future__ import annotations

from schemathesis import Case

from attendance.bootstrap import make_app
from attendance.config import AttendanceSettings

from .conftest import SERVICE_TOKEN
from .fuzzing import QUIET, Known, bearer, fuzz, openapi

schema = openapi(make_app, AttendanceSettings)

pytestmark = QUIET


@schema.parametrize()
def test_attendance_answers_every_input_without_a_server_error(
    case: Case, services: dict[str, str], known: Known
) -> None:
    token = known.terminal_token if case.path.startswith("/schools/") else SERVICE_TOKEN
    fuzz(case, services["attendance"], bearer(token))
